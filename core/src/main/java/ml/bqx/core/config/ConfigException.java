package ml.bqx.core.config;

/** A missing or malformed setting; the message names the variable and what it should be. */
public final class ConfigException extends IllegalArgumentException {
  public ConfigException(String message) {
    super(message);
  }
}

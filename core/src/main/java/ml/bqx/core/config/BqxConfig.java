package ml.bqx.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumMap;
import java.util.Map;

/** The settings of one process, read once from its environment (see {@link EnvKey}). */
public final class BqxConfig {
  private final Map<EnvKey, String> values;

  private BqxConfig(Map<EnvKey, String> values) {
    this.values = values;
  }

  /** The settings of this process. */
  public static BqxConfig fromEnvironment() {
    return from(System.getenv());
  }

  /** Settings from a map of variables; unknown variables are ignored, blanks mean the default. */
  public static BqxConfig from(Map<String, String> env) {
    Map<EnvKey, String> values = new EnumMap<>(EnvKey.class);
    for (EnvKey key : EnvKey.values()) {
      String value = env.get(key.name());
      values.put(key, value == null || value.isBlank() ? key.defaultValue() : value.trim());
    }
    return new BqxConfig(values);
  }

  /** The value, or the key's default; blank if neither. */
  public String get(EnvKey key) {
    return values.get(key);
  }

  /** The value; refuses a blank one with a reason naming the variable. */
  public String require(EnvKey key) {
    String value = get(key);
    if (value.isBlank()) {
      throw new ConfigException(key.name() + " is not set: " + key.description());
    }
    return value;
  }

  public URI requireUri(EnvKey key) {
    String value = require(key);
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null) {
        throw new ConfigException(
            key.name() + "='" + value + "' has no scheme: " + key.description());
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(key.name() + "='" + value + "' is not a URI: " + e.getReason());
    }
  }

  public int intValue(EnvKey key) {
    String value = require(key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(key.name() + "='" + value + "' is not an integer");
    }
  }

  public int positiveInt(EnvKey key) {
    int value = intValue(key);
    if (value < 1) {
      throw new ConfigException(key.name() + "=" + value + " must be 1 or more");
    }
    return value;
  }

  public double doubleValue(EnvKey key) {
    String value = require(key);
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(key.name() + "='" + value + "' is not a number");
    }
  }

  /** Every setting as environment variables, e.g. to hand to a child process. */
  public Map<String, String> asEnvironment() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    values.forEach((key, value) -> env.put(key.name(), value));
    return env;
  }
}

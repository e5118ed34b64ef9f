package ml.bqx.core.pair;

/** A value that is not one of the 28 pairs; the message says why in one line. */
public final class InvalidPairException extends IllegalArgumentException {
  public InvalidPairException(String reason) {
    super(reason);
  }
}

package ml.bqx.core.message;

/**
 * A message that can never be processed (bad JSON, unknown schema, missing field, bad pair). It is
 * acked and reported, never retried.
 */
public final class MessageRejectedException extends IllegalArgumentException {
  public MessageRejectedException(String reason) {
    super(reason);
  }

  public MessageRejectedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}

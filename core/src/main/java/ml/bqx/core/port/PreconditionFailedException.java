package ml.bqx.core.port;

/**
 * A conditional write lost: somebody else wrote the object first. The caller re-reads and retries.
 */
public final class PreconditionFailedException extends RuntimeException {
  public PreconditionFailedException(String message) {
    super(message);
  }

  public PreconditionFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}

package ml.bqx.job.stage;

/**
 * A stage failed for a reason people can read: the one-line message goes into the failed event and
 * the log; {@code retryable} says whether another attempt could succeed.
 */
public class JobFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean retryable;

  public JobFailure(String reason, boolean retryable) {
    super(reason);
    this.retryable = retryable;
  }

  public JobFailure(String reason, boolean retryable, Throwable cause) {
    super(reason, cause);
    this.retryable = retryable;
  }

  /** Bad input: another attempt would fail the same way. */
  public static JobFailure badInput(String reason) {
    return new JobFailure(reason, false);
  }

  public boolean retryable() {
    return retryable;
  }
}

package ml.bqx.core.port;

/** Where an execution of the job is, as the launcher sees it. */
public record ExecutionState(Phase phase, String detail) {
  /** The launcher's view of an execution's life. */
  public enum Phase {
    /** Accepted or running. */
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** The launcher has no such execution. */
    NOT_FOUND;

    public boolean isFinished() {
      return this != RUNNING;
    }
  }

  public static ExecutionState of(Phase phase) {
    return new ExecutionState(phase, "");
  }
}

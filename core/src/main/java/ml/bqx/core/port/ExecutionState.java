package ml.bqx.core.port;

import java.time.Instant;

/**
 * Where an execution of the job is, as the launcher sees it.
 *
 * @param finishedAt when a finished execution ended, if the launcher knows; null otherwise
 */
public record ExecutionState(Phase phase, String detail, Instant finishedAt) {
  /** A state without an end time (running, unknown, or a launcher that cannot tell). */
  public ExecutionState(Phase phase, String detail) {
    this(phase, detail, null);
  }

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
}

package ml.bqx.core.control;

import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/**
 * What one control step did with one message, for the log and for tests.
 *
 * @param execution the execution launched, when {@link Kind#LAUNCHED}
 */
public record Outcome(
    Kind kind, RunId run, Pair pair, int attempt, String detail, String execution) {
  /** The kinds of things a step can do. */
  public enum Kind {
    /** An execution was started. */
    LAUNCHED,
    /** The pair waits for a slot. */
    QUEUED,
    /** The attempt ended: succeeded. */
    SUCCEEDED,
    /** The attempt ended and the pair goes again (attempt + 1). */
    RETRYING,
    /** The attempt ended and the pair failed for good. */
    FAILED,
    /** The pair was cancelled. */
    CANCELLED,
    /** Nothing changed: a duplicate, late or irrelevant delivery. */
    IGNORED
  }

  static Outcome of(Kind kind, RunId run, Pair pair, int attempt, String detail) {
    return new Outcome(kind, run, pair, attempt, detail, null);
  }

  @Override
  public String toString() {
    return kind
        + " "
        + run
        + "/"
        + (pair == null ? "-" : pair.name())
        + "#"
        + attempt
        + (detail == null || detail.isEmpty() ? "" : ": " + detail)
        + (execution == null ? "" : " (" + execution + ")");
  }
}

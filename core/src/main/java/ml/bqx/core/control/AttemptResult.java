package ml.bqx.core.control;

import java.util.Map;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.Stage;

/**
 * How one attempt ended, from the job's terminal event or from reconcile.
 *
 * @param output the verified output, on success
 * @param reason a one-line reason, on failure
 */
record AttemptResult(
    boolean succeeded,
    Stage stage,
    String reason,
    boolean retryable,
    OutputFacts output,
    Map<String, Double> metrics) {
  AttemptResult {
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }

  static AttemptResult success(OutputFacts output, Map<String, Double> metrics) {
    return new AttemptResult(true, Stage.JOB, null, false, output, metrics);
  }

  static AttemptResult failure(
      Stage stage, String reason, boolean retryable, Map<String, Double> metrics) {
    return new AttemptResult(false, stage, reason, retryable, null, metrics);
  }
}

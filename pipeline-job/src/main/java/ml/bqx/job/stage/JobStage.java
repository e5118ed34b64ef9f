package ml.bqx.job.stage;

import java.io.IOException;
import java.util.Map;
import ml.bqx.core.message.Stage;

/**
 * One stage of an attempt, in the shape every stage has: which stage it is, what its started event
 * says, its body, and what its typed result reports in the succeeded event. The job runs each the
 * same way and publishes a failed event for whatever the body throws.
 *
 * @param <R> what the body produces, for the stages after it
 */
public interface JobStage<R> {
  Stage stage();

  /** The started event: by default "{@code <stage> started}" with no metrics. */
  default StageReport started() {
    return new StageReport(stage().wireName() + " started", Map.of());
  }

  /** The stage's work; it may tell its progress. */
  R run(StageProgress progress) throws IOException;

  /** The succeeded event for this result, {@code durationMs} after the stage started. */
  StageReport succeeded(R result, long durationMs);
}

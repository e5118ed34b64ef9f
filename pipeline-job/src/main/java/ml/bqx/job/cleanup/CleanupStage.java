package ml.bqx.job.cleanup;

import static ml.bqx.job.stage.StageReport.metrics;

import java.io.IOException;
import ml.bqx.core.message.Stage;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.job.stage.JobPaths;
import ml.bqx.job.stage.JobStage;
import ml.bqx.job.stage.StageProgress;
import ml.bqx.job.stage.StageReport;

/**
 * Stage 5: the published file needs nothing the pair staged any more: every attempt's checkpoints
 * and merged files go, a killed attempt's as well as this one's.
 */
public final class CleanupStage implements JobStage<CleanupStage.Cleaned> {
  private final ObjectStore staging;
  private final JobPaths paths;

  /** What cleanup removed. */
  public record Cleaned(int objectsDeleted) {}

  public CleanupStage(ObjectStore staging, JobPaths paths) {
    this.staging = staging;
    this.paths = paths;
  }

  @Override
  public Stage stage() {
    return Stage.CLEANUP;
  }

  @Override
  public Cleaned run(StageProgress progress) throws IOException {
    return new Cleaned(staging.deleteAll(paths.pairFolder()));
  }

  @Override
  public StageReport succeeded(Cleaned result, long durationMs) {
    return StageReport.done(
        stage(), metrics("objectsDeleted", result.objectsDeleted()), durationMs);
  }
}

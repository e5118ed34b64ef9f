package ml.bqx.job.cleanup;

import static ml.bqx.job.stage.StageReport.metrics;

import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.stream.Collectors;
import ml.bqx.core.message.Stage;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.job.extract.Checkpoint;
import ml.bqx.job.extract.CheckpointCache;
import ml.bqx.job.extract.ExtractResult;
import ml.bqx.job.stage.JobPaths;
import ml.bqx.job.stage.JobStage;
import ml.bqx.job.stage.StageProgress;
import ml.bqx.job.stage.StageReport;

/**
 * Stage 5: the published file needs nothing the pair staged in the run any more: every attempt's
 * merged files go, a killed attempt's as well as this one's. The checkpoints it used stay in the
 * pair's cache for the next run; what else the cache holds of the pair (a dropped table's, an older
 * snapshot's) goes.
 */
public final class CleanupStage implements JobStage<CleanupStage.Cleaned> {
  private final ObjectStore staging;
  private final JobPaths paths;
  private final CheckpointCache cache;
  private final ExtractResult extracted;

  /** What cleanup removed. */
  public record Cleaned(int objectsDeleted, int cachedObjectsDeleted) {}

  public CleanupStage(
      ObjectStore staging, JobPaths paths, CheckpointCache cache, ExtractResult extracted) {
    this.staging = staging;
    this.paths = paths;
    this.cache = cache;
    this.extracted = extracted;
  }

  @Override
  public Stage stage() {
    return Stage.CLEANUP;
  }

  @Override
  public Cleaned run(StageProgress progress) throws IOException {
    int deleted = staging.deleteAll(paths.pairFolder());
    Set<URI> used =
        extracted.checkpoints().stream().map(Checkpoint::uri).collect(Collectors.toSet());
    return new Cleaned(deleted, cache.keepOnly(used));
  }

  @Override
  public StageReport succeeded(Cleaned result, long durationMs) {
    return StageReport.done(
        stage(),
        metrics(
            "objectsDeleted",
            result.objectsDeleted() + result.cachedObjectsDeleted(),
            "cachedObjectsDeleted",
            result.cachedObjectsDeleted()),
        durationMs);
  }
}

package ml.bqx.job.merge;

import static ml.bqx.job.stage.StageReport.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.message.Stage;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.job.extract.ExtractResult;
import ml.bqx.job.stage.JobFailure;
import ml.bqx.job.stage.JobPaths;
import ml.bqx.job.stage.JobStage;
import ml.bqx.job.stage.StageProgress;
import ml.bqx.job.stage.StageReport;
import ml.bqx.trainingfile.TrainingFileMetadata;

/**
 * Stage 2: stitches the checkpoints into this attempt's staging file, with the footer naming its
 * origin (run, pair, attempt, tables, which were reused from the cache and which extracted, from
 * where and when).
 */
public final class MergeStage implements JobStage<MergeResult> {
  private final ObjectStore staging;
  private final JobPaths paths;
  private final URI warehouse;
  private final Clock clock;
  private final ExtractResult extracted;

  public MergeStage(
      ObjectStore staging, JobPaths paths, URI warehouse, Clock clock, ExtractResult extracted) {
    this.staging = staging;
    this.paths = paths;
    this.warehouse = warehouse;
    this.clock = clock;
    this.extracted = extracted;
  }

  @Override
  public Stage stage() {
    return Stage.MERGE;
  }

  @Override
  public MergeResult run(StageProgress progress) throws IOException {
    ColumnChunkStitcher stitcher =
        new ColumnChunkStitcher(
            staging,
            checkpoint -> {
              try { // the next attempt must extract this table again, not trust its marker
                staging.delete(StoreLayout.markerOf(checkpoint.uri()));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    int expected = extracted.plan().outputColumns();
    try (ObjectUpload upload = staging.upload(paths.stagingFile())) {
      MergeResult result = stitcher.merge(extracted.checkpoints(), upload, footerMetadata());
      if (result.columns() != expected) {
        throw new JobFailure(
            "merged " + result.columns() + " columns, expected " + expected, false);
      }
      return result;
    }
  }

  private Map<String, String> footerMetadata() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(TrainingFileMetadata.RUN, paths.run().value());
    metadata.put(TrainingFileMetadata.PAIR, paths.pair().name());
    metadata.put(TrainingFileMetadata.ATTEMPT, Integer.toString(paths.attempt()));
    metadata.put(TrainingFileMetadata.TABLES, Integer.toString(extracted.checkpoints().size()));
    metadata.put(TrainingFileMetadata.TABLES_REUSED, String.join(",", extracted.tables(true)));
    metadata.put(TrainingFileMetadata.TABLES_EXTRACTED, String.join(",", extracted.tables(false)));
    metadata.put(
        TrainingFileMetadata.SOURCE_SNAPSHOT,
        "warehouse="
            + warehouse
            + ";extracted="
            + Instant.ofEpochMilli(clock.millis())
            + ";spine="
            + extracted.spineFingerprint()
            + ";rows="
            + extracted.spineRows());
    return metadata;
  }

  @Override
  public StageReport succeeded(MergeResult result, long durationMs) {
    return StageReport.done(
        stage(),
        metrics(
            "rows",
            result.rows(),
            "columns",
            result.columns(),
            "bytes",
            result.object().size(),
            "rowGroups",
            result.rowGroups()),
        durationMs);
  }
}

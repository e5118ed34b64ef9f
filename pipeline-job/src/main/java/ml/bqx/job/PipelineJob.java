package ml.bqx.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import ml.bqx.core.config.ConfigException;
import ml.bqx.core.message.MessageRejectedException;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.Stage;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseTable;
import ml.bqx.core.text.OneLine;
import ml.bqx.job.extract.ExtractPlan;
import ml.bqx.job.extract.ExtractResult;
import ml.bqx.job.extract.Extractor;
import ml.bqx.job.merge.ColumnChunkStitcher;
import ml.bqx.job.merge.MergeResult;
import ml.bqx.job.publish.AttemptCleaner;
import ml.bqx.job.publish.TrainingFilePublisher;
import ml.bqx.trainingfile.InvalidTrainingFileException;
import ml.bqx.trainingfile.TrainingFileExpectations;
import ml.bqx.trainingfile.TrainingFileFacts;
import ml.bqx.trainingfile.TrainingFileMetadata;
import ml.bqx.trainingfile.TrainingFileValidator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * One attempt of one pair: extract, merge, validate, upload, cleanup, each announced by stage
 * events; the job's terminal event is published whatever a stage throws.
 */
public final class PipelineJob {
  private static final Logger LOG = Logger.getLogger(PipelineJob.class.getName());

  private final JobSettings settings;
  private final Warehouse warehouse;
  private final ObjectStore staging;
  private final ObjectStore output;
  private final JobEvents events;
  private final Clock clock;
  private final JobPaths paths;

  public PipelineJob(
      JobSettings settings,
      Warehouse warehouse,
      ObjectStore staging,
      ObjectStore output,
      JobEvents events,
      Clock clock) {
    this.settings = settings;
    this.warehouse = warehouse;
    this.staging = staging;
    this.output = output;
    this.events = events;
    this.clock = clock;
    this.paths =
        new JobPaths(
            settings.staging(),
            settings.output(),
            settings.run(),
            settings.pair(),
            settings.attempt());
  }

  /** Runs the five stages; returns the published file's facts or throws the stage's failure. */
  public OutputFacts run() throws IOException {
    ExtractResult extracted;
    ExtractPlan plan;
    try (BufferAllocator allocator = new RootAllocator()) {
      long started = clock.millis();
      events.started(
          Stage.EXTRACT,
          "discovering the tables of " + settings.pair(),
          Map.of("concurrency", (double) settings.extractConcurrency()));
      try {
        List<WarehouseTable> tables = warehouse.discover(settings.pair());
        plan = ExtractPlan.of(settings.pair(), tables);
        int total = plan.features().size() + 1;
        extracted =
            new Extractor(
                    warehouse,
                    staging,
                    paths,
                    settings.extractConcurrency(),
                    settings.rowGroupRows(),
                    allocator)
                .extract(
                    plan,
                    (table, reused, done, all) -> {
                      LOG.info(
                          (reused ? "reused the checkpoint of " : "extracted ")
                              + table
                              + " ("
                              + done
                              + "/"
                              + all
                              + ")");
                      if (done == all || done % Math.max(1, all / 20) == 0) {
                        events.progress(
                            Stage.EXTRACT,
                            done
                                + "/"
                                + all
                                + " tables"
                                + (reused
                                    ? " (last reused: " + table + ")"
                                    : " (last extracted: " + table + ")"),
                            metrics(
                                "tables",
                                done,
                                "tablesTotal",
                                all,
                                "tablesPerMin",
                                perMinute(done, started),
                                "concurrency",
                                settings.extractConcurrency()));
                      }
                    });
        events.succeeded(
            Stage.EXTRACT,
            total + " tables, " + extracted.reused() + " reused from an earlier attempt",
            metrics(
                "tables", total,
                "tablesReused", extracted.reused(),
                "tablesExtracted", total - extracted.reused(),
                "rows", extracted.spineRows(),
                "columns", plan.outputColumns(),
                "bytes", extracted.bytes(),
                "durationMs", clock.millis() - started,
                "tablesPerMin", perMinute(total, started),
                "concurrency", settings.extractConcurrency()),
            null);
      } catch (RuntimeException | IOException e) {
        throw stageFailed(Stage.EXTRACT, e);
      }
    }

    MergeResult merged = stage(Stage.MERGE, () -> merge(plan, extracted));
    TrainingFileFacts validated = stage(Stage.VALIDATE, () -> validate(plan, merged));
    ObjectInfo published = stage(Stage.UPLOAD, () -> publish(merged));
    stage(Stage.CLEANUP, this::cleanup);
    return new OutputFacts(
        published.uri().toString(),
        published.size(),
        published.crc32c(),
        validated.rows(),
        validated.columns());
  }

  private MergeResult merge(ExtractPlan plan, ExtractResult extracted) throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(TrainingFileMetadata.RUN, settings.run().value());
    metadata.put(TrainingFileMetadata.PAIR, settings.pair().name());
    metadata.put(TrainingFileMetadata.ATTEMPT, Integer.toString(settings.attempt()));
    metadata.put(TrainingFileMetadata.TABLES, Integer.toString(extracted.checkpoints().size()));
    metadata.put(
        TrainingFileMetadata.SOURCE_SNAPSHOT,
        "warehouse="
            + settings.warehouse()
            + ";extracted="
            + Instant.ofEpochMilli(clock.millis())
            + ";spine="
            + extracted.spineFingerprint()
            + ";rows="
            + extracted.spineRows());
    ColumnChunkStitcher stitcher =
        new ColumnChunkStitcher(
            staging,
            checkpoint -> {
              try { // the next attempt must extract this table again, not trust its marker
                staging.delete(paths.marker(checkpoint.table()));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try (ObjectUpload upload = staging.upload(paths.stagingFile())) {
      MergeResult result = stitcher.merge(extracted.checkpoints(), upload, metadata);
      if (result.columns() != plan.outputColumns()) {
        throw new JobFailure(
            "merged " + result.columns() + " columns, expected " + plan.outputColumns(), false);
      }
      return result;
    }
  }

  private TrainingFileFacts validate(ExtractPlan plan, MergeResult merged) throws IOException {
    TrainingFileExpectations expect =
        TrainingFileExpectations.minimums(settings.minRows(), settings.minColumns())
            .withColumns(plan.outputColumns())
            .withCrc32c(merged.object().crc32c())
            .withOrigin(settings.run(), settings.pair(), settings.attempt());
    return new TrainingFileValidator(staging).validate(paths.stagingFile(), expect);
  }

  private ObjectInfo publish(MergeResult merged) throws IOException {
    return new TrainingFilePublisher(output)
        .publish(paths.stagingFile(), merged.object().crc32c(), paths.trainingFile());
  }

  private Integer cleanup() throws IOException {
    return new AttemptCleaner(staging).clean(paths.checkpoints(), paths.stagingFile());
  }

  /** A stage body that may throw. */
  private interface StageBody<T> {
    T run() throws IOException;
  }

  private <T> T stage(Stage stage, StageBody<T> body) throws IOException {
    long started = clock.millis();
    events.started(stage, stage.wireName() + " started", Map.of());
    try {
      T result = body.run();
      Map<String, Double> metrics = new LinkedHashMap<>(describe(result));
      metrics.put("durationMs", (double) (clock.millis() - started));
      events.succeeded(stage, stage.wireName() + " done", metrics, null);
      return result;
    } catch (RuntimeException | IOException e) {
      throw stageFailed(stage, e);
    }
  }

  private static Map<String, Double> describe(Object result) {
    if (result instanceof MergeResult m) {
      return metrics(
          "rows",
          m.rows(),
          "columns",
          m.columns(),
          "bytes",
          m.object().size(),
          "rowGroups",
          m.rowGroups());
    }
    if (result instanceof TrainingFileFacts f) {
      return metrics("rows", f.rows(), "columns", f.columns(), "bytes", f.bytes());
    }
    if (result instanceof ObjectInfo o) {
      return metrics("bytes", o.size());
    }
    if (result instanceof Integer deleted) {
      return metrics("objectsDeleted", deleted);
    }
    return Map.of();
  }

  /** Publishes the stage's failed event and returns the failure, classified, for the job's. */
  private StageFailedException stageFailed(Stage stage, Exception e) {
    JobFailure failure = classify(stage, e);
    events.failed(stage, failure.getMessage(), failure.retryable(), Map.of());
    return new StageFailedException(stage, failure);
  }

  static JobFailure classify(Stage stage, Throwable e) {
    if (e instanceof StageFailedException failed) {
      return failed.failure();
    }
    if (e instanceof JobFailure failure) {
      return failure;
    }
    if (e instanceof InvalidTrainingFileException
        | e instanceof ConfigException
        | e instanceof MessageRejectedException) {
      return new JobFailure(OneLine.of(e.getMessage()), false, e);
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return new JobFailure(
          stage.wireName() + ": I/O failure: " + OneLine.of(e.getMessage()), true, e);
    }
    return new JobFailure(
        stage.wireName() + ": " + e.getClass().getSimpleName() + ": " + OneLine.of(e.getMessage()),
        false,
        e);
  }

  private double perMinute(long tables, long startedMillis) {
    long elapsed = Math.max(1, clock.millis() - startedMillis);
    return tables * 60_000.0 / elapsed;
  }

  private static Map<String, Double> metrics(Object... pairs) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], ((Number) pairs[i + 1]).doubleValue());
    }
    return map;
  }

  /** A stage failed; its failed event is out, the job's is still to come. */
  public static final class StageFailedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final Stage stage;
    private final transient JobFailure failure;

    StageFailedException(Stage stage, JobFailure failure) {
      super(stage.wireName() + " failed: " + failure.getMessage(), failure);
      this.stage = stage;
      this.failure = failure;
    }

    public Stage stage() {
      return stage;
    }

    public JobFailure failure() {
      return failure;
    }
  }
}

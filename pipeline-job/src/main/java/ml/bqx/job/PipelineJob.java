package ml.bqx.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import ml.bqx.core.config.ConfigException;
import ml.bqx.core.message.MessageRejectedException;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.Stage;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.text.OneLine;
import ml.bqx.job.cleanup.CleanupStage;
import ml.bqx.job.extract.CheckpointCache;
import ml.bqx.job.extract.ExtractConcurrency;
import ml.bqx.job.extract.ExtractResult;
import ml.bqx.job.extract.ExtractStage;
import ml.bqx.job.extract.Extractor;
import ml.bqx.job.merge.MergeResult;
import ml.bqx.job.merge.MergeStage;
import ml.bqx.job.stage.JobFailure;
import ml.bqx.job.stage.JobPaths;
import ml.bqx.job.stage.JobStage;
import ml.bqx.job.stage.StageProgress;
import ml.bqx.job.stage.StageReport;
import ml.bqx.job.upload.UploadStage;
import ml.bqx.job.validate.ValidateStage;
import ml.bqx.trainingfile.InvalidTrainingFileException;
import ml.bqx.trainingfile.TrainingFileExpectations;
import ml.bqx.trainingfile.TrainingFileFacts;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * One attempt of one pair: extract, merge, validate, upload, cleanup, each a {@link JobStage}
 * announced by stage events; the job's terminal event is published whatever a stage throws.
 */
public final class PipelineJob {
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
    CheckpointCache cache =
        new CheckpointCache(
            staging,
            paths,
            settings.rowGroupRows(),
            Duration.ofDays(settings.checkpointCacheDays()),
            clock);
    ExtractResult extracted;
    try (BufferAllocator allocator = new RootAllocator()) { // Arrow's memory: extraction only
      extracted =
          run(
              new ExtractStage(
                  warehouse,
                  settings.pair(),
                  new Extractor(
                      warehouse,
                      cache,
                      new ExtractConcurrency(
                          settings.extractConcurrency(), ExtractConcurrency.Machine.current()),
                      allocator)));
    }
    MergeResult merged =
        run(new MergeStage(staging, paths, settings.warehouse(), clock, extracted));
    TrainingFileFacts validated =
        run(new ValidateStage(staging, paths.stagingFile(), expectations(extracted, merged)));
    ObjectInfo published = run(new UploadStage(output, paths, merged.object().crc32c()));
    run(new CleanupStage(staging, paths, cache, extracted));
    return new OutputFacts(
        published.uri().toString(),
        published.size(),
        published.crc32c(),
        validated.rows(),
        validated.columns());
  }

  /**
   * What the staging file must be: the settings' minimums, the plan's columns, the merge's bytes.
   */
  private TrainingFileExpectations expectations(ExtractResult extracted, MergeResult merged) {
    return TrainingFileExpectations.minimums(settings.minRows(), settings.minColumns())
        .withColumns(extracted.plan().outputColumns())
        .withCrc32c(merged.object().crc32c())
        .withOrigin(settings.run(), settings.pair(), settings.attempt());
  }

  /** Runs a stage between its started and its succeeded or failed event. */
  private <R> R run(JobStage<R> stage) throws IOException {
    long started = clock.millis();
    StageReport announced = stage.started();
    events.started(stage.stage(), announced.message(), announced.metrics());
    try {
      R result = stage.run(progressOf(stage.stage(), started));
      StageReport done = stage.succeeded(result, clock.millis() - started);
      events.succeeded(stage.stage(), done.message(), done.metrics(), null);
      return result;
    } catch (RuntimeException | IOException e) {
      throw stageFailed(stage.stage(), e, clock.millis() - started);
    }
  }

  private StageProgress progressOf(Stage stage, long started) {
    return new StageProgress() {
      @Override
      public void report(String message, Map<String, Double> metrics) {
        events.progress(stage, message, metrics);
      }

      @Override
      public long elapsedMillis() {
        return clock.millis() - started;
      }
    };
  }

  /** Publishes the stage's failed event and returns the failure, classified, for the job's. */
  private StageFailedException stageFailed(Stage stage, Exception e, long durationMs) {
    JobFailure failure = classify(stage, e);
    events.failed(
        stage,
        failure.getMessage(),
        failure.retryable(),
        StageReport.metrics(Metric.DURATION_MS, durationMs));
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

  /** A stage failed; its failed event is out, the job's is still to come. */
  public static final class StageFailedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient JobFailure failure;

    StageFailedException(Stage stage, JobFailure failure) {
      super(stage.wireName() + " failed: " + failure.getMessage(), failure);
      this.failure = failure;
    }

    public JobFailure failure() {
      return failure;
    }
  }
}

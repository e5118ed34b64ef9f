package ml.bqx.job;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.message.ErrorEvent;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.Stage;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.EventPublisher;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.progress.PairProgress;
import ml.bqx.core.progress.ProgressStore;
import ml.bqx.core.text.OneLine;
import ml.bqx.job.stage.JobFailure;
import ml.bqx.job.stage.StageReport;

/**
 * The job's entry point, as the container runs it: {@code java
 * --add-opens=java.base/java.nio=ALL-UNNAMED -jar pipeline-job.jar} with TARGET_PAIR, RUN_ID,
 * ATTEMPT, BQX_WAREHOUSE, BQX_STAGING, BQX_OUTPUT and the event bus in the environment. Adapters
 * come from the class path by URI scheme. Exit code 0 only on success.
 */
public final class PipelineJobMain {
  /** The job succeeded and published its file. */
  public static final int OK = 0;

  /** A stage failed; the job's failed event says why. */
  public static final int FAILED = 1;

  /** The execution could not even name itself (pair, run or event bus malformed). */
  public static final int MISCONFIGURED = 2;

  private static final Logger LOG = Logger.getLogger(PipelineJobMain.class.getName());

  private PipelineJobMain() {}

  public static void main(String[] args) {
    System.exit(run(System.getenv()));
  }

  /** Runs one attempt with these environment variables; returns the exit code. */
  public static int run(Map<String, String> environment) {
    BqxConfig config = BqxConfig.from(environment);
    JobLogging.configure(config.get(EnvKey.BQX_LOG_FORMAT));
    JobSettings.Identity identity;
    EventPublisher publisher;
    try {
      identity = JobSettings.identity(config);
      JobLogging.context(identity);
    } catch (Exception e) {
      // No stage event can name a malformed pair or run: log it and report it as an error event.
      String reason = "job refused to start: " + OneLine.of(e.getMessage());
      LOG.severe(reason);
      reportRefusal(config, environment, reason);
      return MISCONFIGURED;
    }
    try {
      publisher = Adapters.eventPublisher(JobSettings.eventBus(config), config);
    } catch (Exception e) {
      LOG.severe("job refused to start: " + OneLine.of(e.getMessage()));
      return MISCONFIGURED;
    }
    Clock clock = Clock.systemUTC();
    long started = clock.millis();
    try (publisher) {
      JobEvents events =
          new JobEvents(publisher, config.get(EnvKey.BQX_EVENTS_TOPIC), identity, clock);
      events.started(Stage.JOB, "job started for " + identity.pair(), Map.of());
      try {
        OutputFacts output = runStages(config, events, clock);
        events.succeeded(
            Stage.JOB,
            "published " + output.uri(),
            StageReport.metrics(
                Metric.DURATION_MS, clock.millis() - started,
                Metric.ROWS, output.rows(),
                Metric.COLUMNS, output.columns(),
                Metric.BYTES, output.bytes()),
            output);
        return OK;
      } catch (Throwable e) {
        JobFailure failure = PipelineJob.classify(Stage.JOB, e);
        if (!(e instanceof PipelineJob.StageFailedException)) {
          LOG.log(Level.SEVERE, "job failed outside a stage", e);
        }
        events.failed(
            Stage.JOB,
            failure.getMessage(),
            failure.retryable(),
            StageReport.metrics(Metric.DURATION_MS, clock.millis() - started));
        if (e instanceof Error error && !(e instanceof OutOfMemoryError)) {
          throw error;
        }
        return FAILED;
      }
    }
  }

  /** Publishes an error event naming the refused execution, if the event bus can be reached. */
  private static void reportRefusal(
      BqxConfig config, Map<String, String> environment, String reason) {
    String source =
        "TARGET_PAIR="
            + OneLine.of(String.valueOf(environment.get(EnvKey.TARGET_PAIR.name())))
            + " RUN_ID="
            + OneLine.of(String.valueOf(environment.get(EnvKey.RUN_ID.name())));
    try (EventPublisher publisher = Adapters.eventPublisher(JobSettings.eventBus(config), config)) {
      publisher.publish(
          config.get(EnvKey.BQX_EVENTS_TOPIC),
          ErrorEvent.of(
                  "pipeline-job",
                  Clock.systemUTC().instant(),
                  reason,
                  environment.getOrDefault("BQX_EXECUTION", ""),
                  source)
              .toBusMessage());
    } catch (Exception e) {
      LOG.warning("could not report the refusal on the event bus: " + e.getMessage());
    }
  }

  private static OutputFacts runStages(BqxConfig config, JobEvents events, Clock clock)
      throws Exception {
    JobSettings settings = JobSettings.from(config);
    requireOneStore(settings.staging(), settings.output());
    ObjectStore staging = Adapters.objectStore(settings.staging(), config);
    ObjectStore output = Adapters.objectStore(settings.output(), config);
    PairProgress first =
        PairProgress.started(settings.run(), settings.pair(), settings.attempt(), clock.instant());
    try (JobProgress progress =
            JobProgress.start(new ProgressStore(staging, settings.staging()), first, clock);
        Warehouse warehouse = Adapters.warehouse(settings.warehouse(), config)) {
      events.alsoTell(progress::heard);
      return new PipelineJob(settings, warehouse, staging, output, events, clock).run();
    }
  }

  private static void requireOneStore(URI staging, URI output) {
    if (!staging.getScheme().equalsIgnoreCase(output.getScheme())) {
      throw new ml.bqx.core.config.ConfigException(
          "BQX_STAGING ("
              + staging
              + ") and BQX_OUTPUT ("
              + output
              + ") must be in the same store: the training file is published by a copy inside it");
    }
  }
}

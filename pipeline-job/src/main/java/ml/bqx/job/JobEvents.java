package ml.bqx.job;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.port.EventPublisher;

/**
 * Publishes the stage events of one attempt on the events topic and logs each. A publish that fails
 * is logged, never fatal: the reconcile function finds executions whose events were lost. After a
 * failed publish only the job's terminal event is still tried, so a dead bus delays the job by two
 * publish timeouts at most.
 *
 * <p>The job's terminal event is the only one the completion keeps (in the ledger, hence the
 * report), so it also carries what the stages measured: each finished (or failed) stage's {@link
 * Metric#durationOf duration}, and the extract's {@link Metric#TABLES tables} and {@link
 * Metric#TABLES_PER_MIN tables/min}.
 */
public final class JobEvents {
  private static final Logger LOG = Logger.getLogger(JobEvents.class.getName());

  private final EventPublisher publisher;
  private final String topic;
  private final JobSettings.Identity identity;
  private final Clock clock;
  private final Map<String, Double> attempt = new LinkedHashMap<>();
  private volatile boolean busDown;
  private volatile Consumer<StageEvent> listener = e -> {};

  public JobEvents(
      EventPublisher publisher, String topic, JobSettings.Identity identity, Clock clock) {
    this.publisher = publisher;
    this.topic = topic;
    this.identity = identity;
    this.clock = clock;
  }

  public void started(Stage stage, String message, Map<String, Double> metrics) {
    publish(
        event(stage, EventStatus.STARTED).withMessage(message).withMetrics(withHeap(metrics)),
        Level.INFO);
  }

  public void progress(Stage stage, String message, Map<String, Double> metrics) {
    keep(stage, metrics);
    publish(
        event(stage, EventStatus.PROGRESS).withMessage(message).withMetrics(withHeap(metrics)),
        Level.INFO);
  }

  public void succeeded(
      Stage stage, String message, Map<String, Double> metrics, OutputFacts output) {
    keep(stage, metrics);
    StageEvent event =
        event(stage, EventStatus.SUCCEEDED)
            .withMessage(message)
            .withMetrics(withHeap(withAttempt(stage, metrics)));
    publish(output == null ? event : event.withOutput(output), Level.INFO);
  }

  public void failed(Stage stage, String reason, boolean retryable, Map<String, Double> metrics) {
    keep(stage, metrics);
    publish(
        event(stage, EventStatus.FAILED)
            .withMessage(reason)
            .withRetryable(retryable)
            .withMetrics(withHeap(withAttempt(stage, metrics))),
        Level.SEVERE);
  }

  /** Keeps what a stage measured for the job's terminal event. */
  private void keep(Stage stage, Map<String, Double> metrics) {
    if (stage == Stage.JOB) {
      return;
    }
    synchronized (attempt) {
      Double duration = metrics.get(Metric.DURATION_MS);
      if (duration != null) {
        attempt.put(Metric.durationOf(stage), duration);
      }
      if (stage == Stage.EXTRACT) {
        for (String name : new String[] {Metric.TABLES, Metric.TABLES_PER_MIN}) {
          Double value = metrics.get(name);
          if (value != null) {
            attempt.put(name, value);
          }
        }
      }
    }
  }

  /** On the job's terminal event: the stages' figures, then the job's own. */
  private Map<String, Double> withAttempt(Stage stage, Map<String, Double> metrics) {
    if (stage != Stage.JOB) {
      return metrics;
    }
    Map<String, Double> all;
    synchronized (attempt) {
      all = new LinkedHashMap<>(attempt);
    }
    all.putAll(metrics);
    return all;
  }

  private StageEvent event(Stage stage, EventStatus status) {
    return StageEvent.of(
        identity.run(), identity.pair(), identity.attempt(), stage, status, clock.instant());
  }

  /** Also tells {@code also} of every event, before it is published (the progress object). */
  public void alsoTell(Consumer<StageEvent> also) {
    this.listener = also;
  }

  private void publish(StageEvent event, Level level) {
    listener.accept(event);
    LOG.log(
        level, event.stage().wireName() + " " + event.status().wireName() + ": " + event.message());
    if (busDown && !event.isJobTerminal()) {
      // Each try waits out the publisher's timeout: only the terminal event is worth it now.
      return;
    }
    try {
      publisher.publish(topic, event.toBusMessage());
    } catch (Exception e) {
      busDown = true;
      LOG.warning(
          "could not publish the "
              + event.stage().wireName()
              + " "
              + event.status().wireName()
              + " event: "
              + e.getMessage());
    }
  }

  private static Map<String, Double> withHeap(Map<String, Double> metrics) {
    Map<String, Double> all = new LinkedHashMap<>(metrics);
    all.put("peakHeapBytes", (double) peakHeapBytes());
    return all;
  }

  /** The heap's high-water mark so far: the sum of the heap pools' peaks. */
  private static long peakHeapBytes() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}

package ml.bqx.job;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.port.EventPublisher;

/**
 * Publishes the stage events of one attempt on the events topic and logs each. A publish that fails
 * is logged, never fatal: the reconcile function finds executions whose events were lost. After a
 * failed publish only the job's terminal event is still tried, so a dead bus delays the job by two
 * publish timeouts at most.
 */
public final class JobEvents {
  private static final Logger LOG = Logger.getLogger(JobEvents.class.getName());

  private final EventPublisher publisher;
  private final String topic;
  private final JobSettings.Identity identity;
  private final Clock clock;
  private volatile boolean busDown;

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
    publish(
        event(stage, EventStatus.PROGRESS).withMessage(message).withMetrics(withHeap(metrics)),
        Level.INFO);
  }

  public void succeeded(
      Stage stage, String message, Map<String, Double> metrics, OutputFacts output) {
    StageEvent event =
        event(stage, EventStatus.SUCCEEDED).withMessage(message).withMetrics(withHeap(metrics));
    publish(output == null ? event : event.withOutput(output), Level.INFO);
  }

  public void failed(Stage stage, String reason, boolean retryable, Map<String, Double> metrics) {
    publish(
        event(stage, EventStatus.FAILED)
            .withMessage(reason)
            .withRetryable(retryable)
            .withMetrics(withHeap(metrics)),
        Level.SEVERE);
  }

  private StageEvent event(Stage stage, EventStatus status) {
    return StageEvent.of(
        identity.run(), identity.pair(), identity.attempt(), stage, status, clock.instant());
  }

  private void publish(StageEvent event, Level level) {
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

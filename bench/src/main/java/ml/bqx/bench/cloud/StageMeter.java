package ml.bqx.bench.cloud;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.port.EventPublisher;

/**
 * The job's event publisher, passing each event on to the real one: the wire's counts when a stage
 * starts (before its started event goes out) and when it ends (after its last event went out) give
 * the requests and bytes of each stage; its succeeded event gives its duration.
 */
final class StageMeter implements EventPublisher {
  private final EventPublisher publisher;
  private final Supplier<WireCounts> counts;
  private final Map<String, WireCounts> started = new LinkedHashMap<>();
  private final Map<String, Double> figures = new LinkedHashMap<>();

  StageMeter(EventPublisher publisher, Supplier<WireCounts> counts) {
    this.publisher = publisher;
    this.counts = counts;
  }

  @Override
  public synchronized String publish(String topic, BusMessage message) throws IOException {
    StageEvent event = StageEvent.parse(message);
    String stage = event.stage().wireName();
    if (event.status() == EventStatus.STARTED) {
      started.put(stage, counts.get());
    }
    String id = publisher.publish(topic, message);
    if (event.status() == EventStatus.SUCCEEDED || event.status() == EventStatus.FAILED) {
      WireCounts before = started.get(stage);
      if (before != null) {
        figures.putAll(counts.get().minus(before).figures(stage));
      }
      Double duration = event.metrics().get("durationMs");
      if (duration != null) {
        figures.put(stage + ".seconds", duration / 1000.0);
      }
      event.metrics().forEach((name, value) -> figures.put(stage + ".metric." + name, value));
    }
    return id;
  }

  /** Per stage: seconds, requests, bytes and the counts by service; the stage's own metrics. */
  synchronized Map<String, Double> figures() {
    return new LinkedHashMap<>(figures);
  }

  @Override
  public void close() {
    publisher.close();
  }
}

package ml.bqx.bench;

import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.port.EventPublisher;

/** Keeps the stage events a job publishes, parsed back from the wire form, for their metrics. */
final class RecordingEventPublisher implements EventPublisher {
  private final List<StageEvent> events = new ArrayList<>();

  @Override
  public synchronized String publish(String topic, BusMessage message) {
    events.add(StageEvent.parse(message));
    return Integer.toString(events.size());
  }

  synchronized List<StageEvent> events() {
    return List.copyOf(events);
  }

  @Override
  public void close() {}
}

package ml.bqx.core.testing;

import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.port.EventPublisher;

/** Keeps what the functions publish, by topic, for a test to deliver or inspect. */
public final class RecordingPublisher implements EventPublisher {
  /** One published message. */
  public record Published(String topic, BusMessage message, String id) {}

  private final List<Published> published = new ArrayList<>();
  private int taken;

  @Override
  public synchronized String publish(String topic, BusMessage message) {
    String id = "m" + (published.size() + 1);
    published.add(new Published(topic, message, id));
    return id;
  }

  public synchronized List<Published> all() {
    return List.copyOf(published);
  }

  public synchronized List<Published> on(String topic) {
    return published.stream().filter(p -> p.topic().equals(topic)).toList();
  }

  /** What was published since the last call. */
  public synchronized List<Published> takeNew() {
    List<Published> fresh = List.copyOf(published.subList(taken, published.size()));
    taken = published.size();
    return fresh;
  }

  @Override
  public void close() {}
}

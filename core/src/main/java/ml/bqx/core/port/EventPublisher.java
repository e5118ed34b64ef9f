package ml.bqx.core.port;

import java.io.IOException;
import ml.bqx.core.message.BusMessage;

/** Publishes messages to a topic of the event bus (Pub/Sub, or the local Pub/Sub endpoint). */
public interface EventPublisher extends AutoCloseable {
  /** Publishes and waits until the bus accepted the message; returns its message id. */
  String publish(String topic, BusMessage message) throws IOException;

  @Override
  void close();
}

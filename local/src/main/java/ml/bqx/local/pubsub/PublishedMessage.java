package ml.bqx.local.pubsub;

import java.time.Instant;
import java.util.Objects;
import ml.bqx.core.message.BusMessage;

/**
 * A message the local endpoint accepted on a topic: the published body and attributes with the id
 * and publish time the endpoint gave it (as Pub/Sub does).
 */
public record PublishedMessage(
    String topic, String messageId, Instant publishTime, BusMessage message, String orderingKey) {
  public PublishedMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(publishTime, "publishTime");
    Objects.requireNonNull(message, "message");
    orderingKey = orderingKey == null ? "" : orderingKey;
  }
}

package ml.bqx.functions;

import io.cloudevents.CloudEvent;
import ml.bqx.core.message.MessageRejectedException;

/**
 * Reads the Pub/Sub message out of an Eventarc CloudEvent of type {@code
 * google.cloud.pubsub.topic.v1.messagePublished}, binary or structured mode alike (the invoker
 * turns both into one {@link CloudEvent}); its data is read by {@link PubSubPush}.
 */
final class PubSubCloudEvents {
  static final String MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

  private PubSubCloudEvents() {}

  /** The pushed message; refuses anything else with a one-line reason. */
  static PubSubPush decode(CloudEvent event) {
    if (!MESSAGE_PUBLISHED.equals(event.getType())) {
      throw new MessageRejectedException(
          "CloudEvent has type '" + event.getType() + "', expected " + MESSAGE_PUBLISHED);
    }
    if (event.getData() == null || event.getData().toBytes().length == 0) {
      throw new MessageRejectedException("CloudEvent has no data");
    }
    return PubSubPush.parse(event.getData().toBytes());
  }
}

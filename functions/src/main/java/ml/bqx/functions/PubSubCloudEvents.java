package ml.bqx.functions;

import com.google.events.cloud.pubsub.v1.MessagePublishedData;
import com.google.events.cloud.pubsub.v1.PubsubMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.MessageRejectedException;

/**
 * Reads the Pub/Sub message out of an Eventarc CloudEvent ({@code
 * google.cloud.pubsub.topic.v1.messagePublished}, data = MessagePublishedData JSON) with Google's
 * own event types.
 */
final class PubSubCloudEvents {
  static final String MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";

  private PubSubCloudEvents() {}

  /** The message; refuses anything else with a one-line reason. */
  static BusMessage decode(CloudEvent event) {
    if (!MESSAGE_PUBLISHED.equals(event.getType())) {
      throw new MessageRejectedException(
          "CloudEvent "
              + event.getId()
              + " has type '"
              + event.getType()
              + "', expected "
              + MESSAGE_PUBLISHED);
    }
    if (event.getData() == null) {
      throw new MessageRejectedException("CloudEvent " + event.getId() + " has no data");
    }
    MessagePublishedData.Builder data = MessagePublishedData.newBuilder();
    try {
      JsonFormat.parser()
          .ignoringUnknownFields()
          .merge(new String(event.getData().toBytes(), StandardCharsets.UTF_8), data);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new MessageRejectedException(
          "CloudEvent " + event.getId() + " is not a Pub/Sub message: " + firstLine(e.getMessage()),
          e);
    }
    if (!data.hasMessage()) {
      throw new MessageRejectedException("CloudEvent " + event.getId() + " carries no message");
    }
    PubsubMessage message = data.getMessage();
    return new BusMessage(message.getData().toByteArray(), message.getAttributesMap());
  }

  /** The Pub/Sub id of the message, or the CloudEvent's id. */
  static String messageId(CloudEvent event) {
    return event.getId();
  }

  static String firstLine(String text) {
    if (text == null) {
      return "no reason given";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}

package ml.bqx.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.MessageRejectedException;
import ml.bqx.core.text.OneLine;

/**
 * The data of a {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvent, read as Google
 * sends it: {@code {"message": {...}, "subscription": ..., "deliveryAttempt": N}}, the message with
 * {@code messageId} and/or {@code message_id}, {@code publishTime} and/or {@code publish_time}, an
 * {@code @type}, {@code orderingKey}, base64 {@code data} (may be absent) and {@code attributes}
 * (may be absent). Fields it does not know are ignored.
 *
 * <p>Read from a JSON tree into this plain record, as Google's Java function samples read the
 * envelope with Gson or Jackson: protobuf's {@code JsonFormat} (google-cloudevent-types) refuses a
 * body that carries both spellings, which Pub/Sub push and Eventarc send (the
 * MessagePublishedData-duplicatedFields example of googleapis/google-cloudevents).
 */
record PubSubPush(
    String messageId,
    Instant publishTime,
    byte[] data,
    Map<String, String> attributes,
    String orderingKey,
    String subscription,
    Integer deliveryAttempt) {

  PubSubPush {
    data = data.clone();
    attributes = Map.copyOf(attributes);
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** The message as the handlers see it. */
  BusMessage toBusMessage() {
    return new BusMessage(data, attributes);
  }

  /** Parses the CloudEvent's data; refuses anything that is not a Pub/Sub message, in one line. */
  static PubSubPush parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new MessageRejectedException(
          "not a Pub/Sub message: data is not JSON: " + OneLine.of(e.getMessage()), e);
    }
    if (!(root instanceof ObjectNode body)) {
      throw new MessageRejectedException("not a Pub/Sub message: data is not a JSON object");
    }
    if (!(body.get("message") instanceof ObjectNode message)) {
      throw new MessageRejectedException("not a Pub/Sub message: data has no \"message\" object");
    }
    JsonNode attempt = body.get("deliveryAttempt");
    return new PubSubPush(
        text(message, "messageId", "message_id"),
        time(text(message, "publishTime", "publish_time")),
        decodeData(message.get("data")),
        attributes(message.get("attributes")),
        text(message, "orderingKey", "ordering_key"),
        text(body, "subscription", "subscription"),
        attempt != null && attempt.canConvertToInt() ? attempt.asInt() : null);
  }

  private static String text(ObjectNode node, String camel, String snake) {
    JsonNode value = node.hasNonNull(camel) ? node.get(camel) : node.get(snake);
    return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
  }

  /** Pub/Sub writes RFC 3339 in UTC; a time it cannot read is left out, not a reason to refuse. */
  private static Instant time(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static byte[] decodeData(JsonNode data) {
    if (data == null || data.isNull()) {
      return new byte[0];
    }
    if (!data.isTextual()) {
      throw new MessageRejectedException("message data is not a base64 string");
    }
    try {
      return Base64.getDecoder().decode(data.asText());
    } catch (IllegalArgumentException notStandard) {
      try {
        return Base64.getUrlDecoder().decode(data.asText());
      } catch (IllegalArgumentException e) {
        throw new MessageRejectedException("message data is not base64: " + e.getMessage(), e);
      }
    }
  }

  private static Map<String, String> attributes(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new MessageRejectedException("message attributes are not a JSON object");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    node.properties()
        .forEach(
            e -> {
              if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new MessageRejectedException(
                    "message attribute '" + e.getKey() + "' is not a string");
              }
              attributes.put(e.getKey(), e.getValue().asText());
            });
    return attributes;
  }
}

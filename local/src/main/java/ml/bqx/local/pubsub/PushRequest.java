package ml.bqx.local.pubsub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import ml.bqx.core.json.Json;

/**
 * One Pub/Sub message as a push subscription posts it, in either {@link PushFormat}: the body is
 * the wrapped message ({@code MessagePublishedData} JSON) in the shape Google sends, not the shape
 * a parser would like: the message carries both {@code messageId} and {@code message_id}, both
 * {@code publishTime} and {@code publish_time}, {@code orderingKey} when set, {@code @type} when
 * Eventarc delivers it, and {@code deliveryAttempt} stands beside {@code subscription} (Pub/Sub
 * sets it when the subscription has a dead-letter policy, as every local one has). Sources:
 * googleapis/google-cloudevents
 * testdata/google/events/cloud/pubsub/v1/MessagePublishedData-duplicatedFields.json, the Pub/Sub
 * push documentation (cloud.google.com/pubsub/docs/push, "wrapped" messages) and Eventarc's
 * CloudEvents format page (cloud.google.com/eventarc/docs/cloudevents).
 */
public record PushRequest(Map<String, String> headers, byte[] body) {
  public static final String TYPE = "google.cloud.pubsub.topic.v1.messagePublished";
  public static final String SPEC_VERSION = "1.0";
  static final String PUBSUB_MESSAGE_TYPE = "type.googleapis.com/google.pubsub.v1.PubsubMessage";

  public PushRequest {
    headers = Map.copyOf(headers);
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  /**
   * Encodes the {@code deliveryAttempt}-th push of a message published on {@code
   * projects/P/topics/T} for subscription S of project P, in {@code format}.
   */
  public static PushRequest encode(
      PushFormat format,
      String project,
      String subscription,
      PublishedMessage published,
      int deliveryAttempt) {
    if (deliveryAttempt < 1) {
      throw new IllegalArgumentException(
          "delivery attempt must be 1 or more, not " + deliveryAttempt);
    }
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(subscription, "subscription");
    String publishTime = published.publishTime().toString();
    Map<String, String> headers = new LinkedHashMap<>();
    if (format == PushFormat.EVENTARC) {
      headers.put("ce-specversion", SPEC_VERSION);
      headers.put("ce-id", published.messageId());
      headers.put(
          "ce-source",
          "//pubsub.googleapis.com/projects/" + project + "/topics/" + published.topic());
      headers.put("ce-type", TYPE);
      headers.put("ce-time", publishTime);
    }
    headers.put("content-type", "application/json");

    ObjectNode body = Json.MAPPER.createObjectNode();
    ObjectNode message = body.putObject("message");
    if (format == PushFormat.EVENTARC) {
      // Eventarc keeps the PubsubMessage's type URL; readers must ignore unknown fields.
      message.put("@type", PUBSUB_MESSAGE_TYPE);
    }
    Map<String, String> attributes = published.message().attributes();
    if (!attributes.isEmpty()) {
      ObjectNode attributeNode = message.putObject("attributes");
      attributes.forEach(attributeNode::put);
    }
    byte[] data = published.message().data();
    if (data.length > 0) {
      message.put("data", Base64.getEncoder().encodeToString(data));
    }
    message.put("messageId", published.messageId());
    message.put("message_id", published.messageId());
    message.put("publishTime", publishTime);
    message.put("publish_time", publishTime);
    if (!published.orderingKey().isEmpty()) {
      message.put("orderingKey", published.orderingKey());
    }
    body.put("subscription", "projects/" + project + "/subscriptions/" + subscription);
    body.put("deliveryAttempt", deliveryAttempt);
    return new PushRequest(headers, Json.toBytes(body));
  }

  /** The HTTP POST of this push to a push endpoint. */
  public HttpRequest toHttpRequest(URI endpoint, Duration timeout) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return request.build();
  }
}

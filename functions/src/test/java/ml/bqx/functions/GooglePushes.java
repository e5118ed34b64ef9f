package ml.bqx.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.BusMessage;

/**
 * The fixtures of {@code src/test/resources/google-pushes} (Google's published push shapes, see the
 * README there) and the HTTP requests that carry them, in binary or structured content mode, as
 * Eventarc does.
 */
final class GooglePushes {
  static final List<String> FIXTURES =
      List.of(
          "duplicated-fields",
          "text-with-attributes",
          "binary-no-time",
          "push-wrapped",
          "push-dead-letter-ordered",
          "attributes-only",
          "unknown-fields");

  /**
   * How the body reaches a function: CloudEvents' two HTTP content modes (Eventarc sends binary;
   * structured is the JSON format), or a plain Pub/Sub push subscription's POST of the body itself,
   * as terraform's subscriptions deliver it to the deployed entry points.
   */
  enum Mode {
    BINARY,
    STRUCTURED,
    PUBSUB_PUSH;

    /** The status that acks: the invoker answers 200 for an event function, ours 204. */
    int ack() {
      return this == PUBSUB_PUSH ? 204 : 200;
    }
  }

  private GooglePushes() {}

  static ObjectNode load(String fixture) {
    String path = "/google-pushes/" + fixture + ".json";
    try (InputStream in = GooglePushes.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + path);
      }
      return (ObjectNode) Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String fixture) {
    return Json.toBytes(load(fixture));
  }

  /**
   * The fixture carrying {@code message}: its data and attributes replace the fixture's, every
   * other field (both spellings, @type, orderingKey, deliveryAttempt, unknown ones) stays.
   */
  static byte[] carrying(String fixture, BusMessage message) {
    ObjectNode body = load(fixture);
    ObjectNode inner = (ObjectNode) body.get("message");
    inner.remove("data");
    inner.remove("attributes");
    if (message.data().length > 0) {
      inner.put("data", Base64.getEncoder().encodeToString(message.data()));
    }
    if (!message.attributes().isEmpty()) {
      ObjectNode attributes = inner.putObject("attributes");
      message.attributes().forEach(attributes::put);
    }
    return Json.toBytes(body);
  }

  /** Whether the fixture's message has no data (the attribute-only shape). */
  static boolean hasNoData(String fixture) {
    return !load(fixture).path("message").has("data");
  }

  /** A push of {@code data} published on {@code topic} of project bqx-test. */
  static HttpRequest request(URI endpoint, Mode mode, String id, String topic, byte[] data) {
    String source = "//pubsub.googleapis.com/projects/bqx-test/topics/" + topic;
    String type = PubSubCloudEvents.MESSAGE_PUBLISHED;
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60));
    if (mode == Mode.PUBSUB_PUSH) {
      return request
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(data))
          .build();
    }
    if (mode == Mode.BINARY) {
      return request
          .header("ce-specversion", "1.0")
          .header("ce-id", id)
          .header("ce-source", source)
          .header("ce-type", type)
          .header("ce-time", "2021-02-26T19:13:55.749Z")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(data))
          .build();
    }
    ObjectNode event = Json.MAPPER.createObjectNode();
    event.put("specversion", "1.0");
    event.put("id", id);
    event.put("source", source);
    event.put("type", type);
    event.put("time", "2021-02-26T19:13:55.749Z");
    event.put("datacontenttype", "application/json");
    try {
      JsonNode tree = Json.MAPPER.readTree(data);
      event.set("data", tree);
    } catch (IOException notJson) {
      event.put("data", new String(data, java.nio.charset.StandardCharsets.UTF_8));
    }
    return request
        .header("Content-Type", "application/cloudevents+json; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(event)))
        .build();
  }
}

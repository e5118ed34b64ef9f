package ml.bqx.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import java.io.IOException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Set;
import ml.bqx.core.json.Json;

/**
 * A function as the HTTP endpoint of a Pub/Sub push subscription that terraform owns (with its
 * dead-letter and retry policies). Pub/Sub posts its push body, {"message": {...}, "subscription":
 * "..."} (https://cloud.google.com/pubsub/docs/push#receive_push), which is the data of the
 * messagePublished CloudEvent Eventarc would deliver; the Functions Framework 2.0.0 cannot turn
 * that body into a CloudEvent itself (its resource name stays null), so this does, and hands it to
 * the same function. A 2xx acks; a thrown exception answers 500 and Pub/Sub delivers again, until
 * the subscription's max delivery attempts send it to the dead-letter topic.
 */
abstract class PubSubPush implements HttpFunction {
  private final CloudEventsFunction target;

  PubSubPush(CloudEventsFunction target) {
    this.target = target;
  }

  @Override
  public final void service(HttpRequest request, HttpResponse response) throws Exception {
    byte[] body = request.getInputStream().readAllBytes();
    target.accept(new PushedEvent(body));
    response.setStatusCode(204);
  }

  /** The push body as the messagePublished CloudEvent; its id is the message id. */
  static final class PushedEvent implements CloudEvent {
    private final byte[] body;
    private final String id;
    private final String subscription;

    PushedEvent(byte[] body) throws IOException {
      this.body = body.clone();
      JsonNode tree;
      try {
        tree = Json.MAPPER.readTree(body);
      } catch (IOException e) {
        tree = null;
      }
      JsonNode message = tree == null ? null : tree.path("message");
      String messageId = message == null ? "" : message.path("messageId").asText("");
      this.id =
          messageId.isEmpty() && message != null
              ? message.path("message_id").asText("")
              : messageId;
      this.subscription = tree == null ? "" : tree.path("subscription").asText("");
    }

    @Override
    public CloudEventData getData() {
      return body::clone;
    }

    @Override
    public SpecVersion getSpecVersion() {
      return SpecVersion.V1;
    }

    @Override
    public String getId() {
      return id.isEmpty() ? "push-without-id" : id;
    }

    @Override
    public String getType() {
      return "google.cloud.pubsub.topic.v1.messagePublished";
    }

    @Override
    public URI getSource() {
      return URI.create("//pubsub.googleapis.com/" + subscription);
    }

    @Override
    public String getDataContentType() {
      return "application/json";
    }

    @Override
    public URI getDataSchema() {
      return null;
    }

    @Override
    public String getSubject() {
      return null;
    }

    @Override
    public OffsetDateTime getTime() {
      return null;
    }

    @Override
    public Object getAttribute(String name) {
      return switch (name) {
        case "specversion" -> getSpecVersion();
        case "id" -> getId();
        case "type" -> getType();
        case "source" -> getSource();
        case "datacontenttype" -> getDataContentType();
        default -> null;
      };
    }

    @Override
    public Object getExtension(String name) {
      return null;
    }

    @Override
    public Set<String> getExtensionNames() {
      return Set.of();
    }
  }
}

package ml.bqx.local.pubsub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.BusMessage;
import org.junit.jupiter.api.Test;

class PushRequestTest {
  private static final Instant PUBLISHED = Instant.parse("2026-11-28T04:06:14.109Z");

  @Test
  void encode_writesBinaryModeHeaders_ofEventarcPubSubEvent() {
    PushRequest request =
        PushRequest.encode(
            PushFormat.EVENTARC, "test-project", "my-subscription", message("data", Map.of()), 1);

    assertThat(request.headers())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "ce-specversion", "1.0",
                "ce-id", "42",
                "ce-source", "//pubsub.googleapis.com/projects/test-project/topics/my-topic",
                "ce-type", "google.cloud.pubsub.topic.v1.messagePublished",
                "ce-time", "2026-11-28T04:06:14.109Z",
                "content-type", "application/json"));
  }

  /**
   * The body as Pub/Sub push and Eventarc send it (googleapis/google-cloudevents
   * MessagePublishedData-duplicatedFields.json and the push documentation's wrapped message): both
   * spellings of the id and the time, {@code @type}, and {@code deliveryAttempt}.
   */
  @Test
  void encode_writesMessagePublishedDataBody_inTheShapeGoogleSends() throws Exception {
    PushRequest request =
        PushRequest.encode(
            PushFormat.EVENTARC,
            "test-project",
            "my-subscription",
            message("test message 3", Map.of("attr1", "v1")),
            3);

    JsonNode expected =
        Json.MAPPER.readTree(
            """
            {"message": {"@type": "type.googleapis.com/google.pubsub.v1.PubsubMessage",
                         "attributes": {"attr1": "v1"},
                         "data": "dGVzdCBtZXNzYWdlIDM=",
                         "messageId": "42",
                         "message_id": "42",
                         "publishTime": "2026-11-28T04:06:14.109Z",
                         "publish_time": "2026-11-28T04:06:14.109Z"},
             "subscription": "projects/test-project/subscriptions/my-subscription",
             "deliveryAttempt": 3}
            """);
    assertThat(Json.MAPPER.readTree(request.body())).isEqualTo(expected);
  }

  /**
   * A plain push subscription (terraform's): the same body without {@code @type}, no CloudEvent
   * headers (cloud.google.com/pubsub/docs/push, "Receive messages").
   */
  @Test
  void encode_pubSubPush_isTheWrappedMessage_withoutCloudEventHeaders() throws Exception {
    PushRequest request =
        PushRequest.encode(
            PushFormat.PUBSUB_PUSH,
            "test-project",
            "my-subscription",
            message("test message 3", Map.of("attr1", "v1")),
            2);

    assertThat(request.headers()).containsExactly(Map.entry("content-type", "application/json"));
    JsonNode expected =
        Json.MAPPER.readTree(
            """
            {"message": {"attributes": {"attr1": "v1"},
                         "data": "dGVzdCBtZXNzYWdlIDM=",
                         "messageId": "42",
                         "message_id": "42",
                         "publishTime": "2026-11-28T04:06:14.109Z",
                         "publish_time": "2026-11-28T04:06:14.109Z"},
             "subscription": "projects/test-project/subscriptions/my-subscription",
             "deliveryAttempt": 2}
            """);
    assertThat(Json.MAPPER.readTree(request.body())).isEqualTo(expected);
  }

  @Test
  void encode_attributeOnlyMessage_omitsData_andOrderingKeyIsKept() throws Exception {
    PublishedMessage ordered =
        new PublishedMessage(
            "my-topic",
            "43",
            PUBLISHED,
            new BusMessage(new byte[0], Map.of("pair", "gbpusd")),
            "run-1");
    JsonNode message =
        Json.MAPPER
            .readTree(
                PushRequest.encode(PushFormat.EVENTARC, "test-project", "sub", ordered, 1).body())
            .path("message");

    assertThat(message.has("data")).isFalse();
    assertThat(message.path("attributes").path("pair").asText()).isEqualTo("gbpusd");
    assertThat(message.path("orderingKey").asText()).isEqualTo("run-1");
  }

  @Test
  void encode_refusesADeliveryAttemptBelowOne() {
    assertThatThrownBy(
            () ->
                PushRequest.encode(
                    PushFormat.EVENTARC, "test-project", "sub", message("x", Map.of()), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delivery attempt");
  }

  private static PublishedMessage message(String data, Map<String, String> attributes) {
    return new PublishedMessage(
        "my-topic", "42", PUBLISHED, new BusMessage(data.getBytes(UTF_8), attributes), "");
  }
}

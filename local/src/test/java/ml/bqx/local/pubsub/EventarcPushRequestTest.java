package ml.bqx.local.pubsub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.events.cloud.pubsub.v1.MessagePublishedData;
import com.google.protobuf.util.JsonFormat;
import java.time.Instant;
import java.util.Map;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.BusMessage;
import org.junit.jupiter.api.Test;

class EventarcPushRequestTest {
  private static final Instant PUBLISHED = Instant.parse("2026-11-28T04:06:14.109Z");

  @Test
  void encode_writesBinaryModeHeaders_ofEventarcPubSubEvent() {
    EventarcPushRequest request =
        EventarcPushRequest.encode("test-project", "my-subscription", message("data", Map.of()));

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

  @Test
  void encode_writesMessagePublishedDataBody_inGooglesExampleShape() throws Exception {
    EventarcPushRequest request =
        EventarcPushRequest.encode(
            "test-project", "my-subscription", message("test message 3", Map.of("attr1", "v1")));

    JsonNode expected =
        Json.MAPPER.readTree(
            """
            {"message": {"@type": "type.googleapis.com/google.pubsub.v1.PubsubMessage",
                         "attributes": {"attr1": "v1"},
                         "data": "dGVzdCBtZXNzYWdlIDM=",
                         "messageId": "42",
                         "publishTime": "2026-11-28T04:06:14.109Z"},
             "subscription": "projects/test-project/subscriptions/my-subscription"}
            """);
    assertThat(Json.MAPPER.readTree(request.body())).isEqualTo(expected);
  }

  @Test
  void encode_attributeOnlyMessage_omitsData_andGoogleTypesReadIt() throws Exception {
    EventarcPushRequest request =
        EventarcPushRequest.encode("test-project", "sub", message("", Map.of("pair", "gbpusd")));

    MessagePublishedData.Builder data = MessagePublishedData.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(new String(request.body(), UTF_8), data);
    assertThat(data.getMessage().getData().isEmpty()).isTrue();
    assertThat(data.getMessage().getAttributesMap()).isEqualTo(Map.of("pair", "gbpusd"));
    assertThat(data.getMessage().getPublishTime().getSeconds())
        .isEqualTo(PUBLISHED.getEpochSecond());
    assertThat(data.getSubscription()).isEqualTo("projects/test-project/subscriptions/sub");
  }

  private static PublishedMessage message(String data, Map<String, String> attributes) {
    return new PublishedMessage(
        "my-topic", "42", PUBLISHED, new BusMessage(data.getBytes(UTF_8), attributes), "");
  }
}

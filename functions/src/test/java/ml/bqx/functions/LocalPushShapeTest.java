package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.BusMessage;
import ml.bqx.local.pubsub.PublishedMessage;
import ml.bqx.local.pubsub.PushFormat;
import ml.bqx.local.pubsub.PushRequest;
import org.junit.jupiter.api.Test;

/** What the local Pub/Sub endpoint pushes has the fields, and field types, of Google's pushes. */
class LocalPushShapeTest {
  private static final Instant PUBLISHED = Instant.parse("2021-02-26T19:13:55.749Z");

  @Test
  void localEventarcPush_hasEveryFieldOfGooglesPushes_withTheSameTypes_andNoOther()
      throws Exception {
    JsonNode local =
        Json.MAPPER.readTree(
            PushRequest.encode(PushFormat.EVENTARC, "myproject", "mysubscription", published(), 5)
                .body());

    Map<String, String> google = new TreeMap<>(fieldTypes(GooglePushes.load("duplicated-fields")));
    google.putAll(fieldTypes(GooglePushes.load("push-dead-letter-ordered")));
    assertThat(fieldTypes(local)).isEqualTo(google);
  }

  /** What terraform's push subscriptions send, and so what every local run's functions get. */
  @Test
  void localPubSubPush_isGooglesWrappedPush_fieldForField() throws Exception {
    JsonNode local =
        Json.MAPPER.readTree(
            PushRequest.encode(
                    PushFormat.PUBSUB_PUSH, "myproject", "mysubscription", published(), 5)
                .body());

    assertThat(local).isEqualTo(GooglePushes.load("push-dead-letter-ordered"));
  }

  private static PublishedMessage published() {
    return new PublishedMessage(
        "bqx-pairs",
        "2070443601311540",
        PUBLISHED,
        new BusMessage(
            "Hello Cloud Pub/Sub! Here is my message!".getBytes(StandardCharsets.UTF_8),
            Map.of("key", "value")),
        "key-1");
  }

  @Test
  void localPush_readsBackAsTheSameMessage_throughTheFunctionsParser() {
    PublishedMessage published =
        new PublishedMessage(
            "bqx-pairs",
            "42",
            PUBLISHED,
            new BusMessage(new byte[0], Map.of("pair", "eurusd")),
            "");

    PubSubPush push =
        PubSubPush.parse(
            PushRequest.encode(PushFormat.EVENTARC, "bqx-test", "sub", published, 2).body());

    assertThat(push.messageId()).isEqualTo("42");
    assertThat(push.publishTime()).isEqualTo(PUBLISHED);
    assertThat(push.toBusMessage()).isEqualTo(published.message());
    assertThat(push.deliveryAttempt()).isEqualTo(2);
    assertThat(push.subscription()).isEqualTo("projects/bqx-test/subscriptions/sub");
  }

  /** Path of every field (attributes' own keys left out) to its JSON node type. */
  private static Map<String, String> fieldTypes(JsonNode root) {
    Map<String, String> types = new TreeMap<>();
    collect("", root, types);
    return types;
  }

  private static void collect(String path, JsonNode node, Map<String, String> types) {
    node.properties()
        .forEach(
            e -> {
              String field = path + e.getKey();
              types.put(field, e.getValue().getNodeType().toString());
              if (e.getValue().isObject() && !Set.of("message.attributes").contains(field)) {
                collect(field + ".", e.getValue(), types);
              }
            });
  }
}

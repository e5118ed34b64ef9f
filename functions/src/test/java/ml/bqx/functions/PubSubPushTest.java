package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import ml.bqx.core.message.MessageRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Google's published push bodies, verbatim, read field by field. */
class PubSubPushTest {
  private static final byte[] ONE_TO_FOUR = {1, 2, 3, 4};

  @Test
  void duplicatedFields_bothSpellingsAndType_areRead() {
    PubSubPush push = PubSubPush.parse(GooglePushes.bytes("duplicated-fields"));

    assertThat(push.messageId()).isEqualTo("message-id");
    assertThat(push.publishTime()).isEqualTo(Instant.parse("2021-02-05T04:06:14.109Z"));
    assertThat(push.data()).isEqualTo(ONE_TO_FOUR);
    assertThat(push.attributes()).isEmpty();
    assertThat(push.subscription()).isEqualTo("projects/my-project/subscriptions/my-subscription");
    assertThat(push.deliveryAttempt()).isNull();
  }

  @Test
  void textWithAttributes_isRead() {
    PubSubPush push = PubSubPush.parse(GooglePushes.bytes("text-with-attributes"));

    assertThat(new String(push.data(), StandardCharsets.UTF_8)).isEqualTo("test message 3");
    assertThat(push.attributes()).isEqualTo(Map.of("attr1", "attr1-value"));
  }

  @Test
  void binaryWithoutPublishTime_isRead() {
    PubSubPush push = PubSubPush.parse(GooglePushes.bytes("binary-no-time"));

    assertThat(push.data()).isEqualTo(ONE_TO_FOUR);
    assertThat(push.publishTime()).isNull();
  }

  @Test
  void wrappedPush_isRead() {
    PubSubPush push = PubSubPush.parse(GooglePushes.bytes("push-wrapped"));

    assertThat(push.messageId()).isEqualTo("2070443601311540");
    assertThat(push.publishTime()).isEqualTo(Instant.parse("2021-02-26T19:13:55.749Z"));
    assertThat(new String(push.data(), StandardCharsets.UTF_8))
        .isEqualTo("Hello Cloud Pub/Sub! Here is my message!");
    assertThat(push.attributes()).isEqualTo(Map.of("key", "value"));
  }

  @Test
  void deadLetterOrderedPush_readsDeliveryAttemptAndOrderingKey() {
    PubSubPush push = PubSubPush.parse(GooglePushes.bytes("push-dead-letter-ordered"));

    assertThat(push.deliveryAttempt()).isEqualTo(5);
    assertThat(push.orderingKey()).isEqualTo("key-1");
  }

  @Test
  void attributesOnly_hasEmptyData() {
    PubSubPush push = PubSubPush.parse(GooglePushes.bytes("attributes-only"));

    assertThat(push.data()).isEmpty();
    assertThat(push.toBusMessage().attributes()).isEqualTo(Map.of("key", "value"));
  }

  @Test
  void unknownFields_areIgnored() {
    PubSubPush push = PubSubPush.parse(GooglePushes.bytes("unknown-fields"));

    assertThat(push.data()).isEqualTo(ONE_TO_FOUR);
    assertThat(push.deliveryAttempt()).isEqualTo(2);
  }

  @Test
  void snakeCaseOnly_isRead() {
    PubSubPush push =
        PubSubPush.parse(
            "{\"message\":{\"message_id\":\"7\",\"publish_time\":\"2021-02-26T19:13:55Z\"}}"
                .getBytes(StandardCharsets.UTF_8));

    assertThat(push.messageId()).isEqualTo("7");
    assertThat(push.publishTime()).isEqualTo(Instant.parse("2021-02-26T19:13:55Z"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not json",
        "[1,2]",
        "{\"subscription\":\"projects/p/subscriptions/s\"}",
        "{\"message\":{\"data\":\"***\"}}",
        "{\"message\":{\"data\":7}}",
        "{\"message\":{\"attributes\":[\"a\"]}}",
        "{\"message\":{\"attributes\":{\"a\":{\"b\":1}}}}"
      })
  void notAPubSubMessage_isRefusedInOneLine(String body) {
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () -> PubSubPush.parse(body.getBytes(StandardCharsets.UTF_8)));
    assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
  }
}

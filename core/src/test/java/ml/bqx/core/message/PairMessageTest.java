package ml.bqx.core.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import ml.bqx.core.pair.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PairMessageTest {
  private static BusMessage body(String json) {
    return new BusMessage(json.getBytes(UTF_8), Map.of());
  }

  @Test
  void roundTrip_throughTheBus_givesTheSameMessage() {
    PairMessage message = PairMessage.of(RunId.of("prod-1"), Pair.parse("usdjpy"), 2);
    BusMessage bus = message.toBusMessage();
    assertThat(bus.attributes())
        .containsEntry("run", "prod-1")
        .containsEntry("pair", "usdjpy")
        .containsEntry("attempt", "2")
        .containsEntry("kind", "pair");
    assertThat(PairMessage.parse(bus)).isEqualTo(message);
  }

  @Test
  void parse_bareJson_isAPairOfNoRun_firstAttempt() {
    PairMessage message = PairMessage.parse(body("{\"pair\":\"gbpusd\"}"));
    assertThat(message.pair().name()).isEqualTo("gbpusd");
    assertThat(message.run()).isNull();
    assertThat(message.attempt()).isEqualTo(1);
  }

  @Test
  void parse_emptyBodyWithPairAttribute_isAValidMessage() {
    PairMessage message =
        PairMessage.parse(new BusMessage(new byte[0], Map.of("pair", "gbpusd", "run", "r1")));
    assertThat(message.pair().name()).isEqualTo("gbpusd");
    assertThat(message.run()).isEqualTo(RunId.of("r1"));
  }

  @Test
  void inRun_givesAMessageWithoutRunTheDefaultRun() {
    RunId adHoc = RunId.adHoc(Instant.parse("2026-11-28T23:59:00Z"));
    assertThat(adHoc.value()).isEqualTo("adhoc-2026-11-28");
    PairMessage message = PairMessage.parse(body("{\"pair\":\"gbpusd\"}")).inRun(adHoc);
    assertThat(message.run()).isEqualTo(adHoc);
    PairMessage named = PairMessage.of(RunId.of("mine"), Pair.parse("gbpusd"), 1);
    assertThat(named.inRun(adHoc).run()).isEqualTo(RunId.of("mine"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'{\"pair\":'|pair message is not valid JSON",
        "'[1,2]'|pair message must be a JSON object, not array",
        "'\"eurusd\"'|pair message must be a JSON object, not string",
        "'{}'|pair message has no 'pair'",
        "'{\"pair\":7}'|pair message field 'pair' must be a string",
        "'{\"pair\":\"usdeur\"}'|'usdeur' is not a pair in market order",
        "'{\"pair\":\"eurusd\",\"schema\":\"bqx.pair/9\"}'|pair message has unknown schema 'bqx.pair/9'",
        "'{\"pair\":\"eurusd\",\"attempt\":0}'|attempt must be 1 or more, not 0",
        "'{\"pair\":\"eurusd\",\"attempt\":\"x\"}'|pair message field 'attempt' must be an integer",
        "'{\"pair\":\"eurusd\",\"run\":\"Bad Run\"}'|'Bad Run' is not a run id",
      })
  void parse_refusesMalformedMessages_withAReason(String json, String reason) {
    MessageRejectedException e =
        assertThrows(MessageRejectedException.class, () -> PairMessage.parse(body(json)));
    assertThat(e.getMessage()).startsWith(reason).doesNotContain("\n");
  }

  @Test
  void parse_refusesAnEmptyMessage_sayingWhatToSend() {
    MessageRejectedException e =
        assertThrows(
            MessageRejectedException.class,
            () -> PairMessage.parse(new BusMessage(new byte[0], Map.of())));
    assertThat(e).hasMessageContaining("send {\"pair\":\"eurusd\"}");
  }

  @Test
  void parse_refusesABodyThatDisagreesWithItsAttributes() {
    BusMessage message =
        new BusMessage("{\"pair\":\"eurusd\"}".getBytes(UTF_8), Map.of("pair", "gbpusd"));
    assertThat(assertThrows(MessageRejectedException.class, () -> PairMessage.parse(message)))
        .hasMessage(
            "pair message disagrees with itself: body pair='eurusd' but attribute pair='gbpusd'");
  }
}

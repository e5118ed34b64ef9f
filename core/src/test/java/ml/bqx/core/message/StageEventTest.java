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

class StageEventTest {
  private static final Instant AT = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void roundTrip_keepsMetricsOutputAndAttributes() {
    StageEvent event =
        StageEvent.of(RunId.of("r1"), Pair.parse("eurusd"), 2, Stage.JOB, EventStatus.SUCCEEDED, AT)
            .withMetrics(Map.of("rows", 1000.0, "tablesPerMin", 12.5))
            .withOutput(
                new OutputFacts("file:///o/training_eurusd.parquet", 42, "AAAAAA==", 1000, 9));
    BusMessage bus = event.toBusMessage();
    assertThat(bus.attributes())
        .containsEntry("stage", "job")
        .containsEntry("status", "succeeded")
        .containsEntry("attempt", "2")
        .containsEntry("kind", "stage-event");
    StageEvent parsed = StageEvent.parse(bus);
    assertThat(parsed).isEqualTo(event);
    assertThat(parsed.isJobTerminal()).isTrue();
  }

  @Test
  void progressOfAStage_isNotTheJobsTerminalEvent() {
    StageEvent progress =
        StageEvent.of(
            RunId.of("r1"), Pair.parse("eurusd"), 1, Stage.EXTRACT, EventStatus.PROGRESS, AT);
    StageEvent stageDone =
        StageEvent.of(
            RunId.of("r1"), Pair.parse("eurusd"), 1, Stage.MERGE, EventStatus.SUCCEEDED, AT);
    assertThat(progress.isJobTerminal()).isFalse();
    assertThat(stageDone.isJobTerminal()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'nope'|stage event is not valid JSON",
        "'{}'|stage event has no 'schema'",
        "'{\"schema\":\"bqx.stage-event/2\"}'|stage event has unknown schema 'bqx.stage-event/2'",
        "'{\"schema\":\"bqx.stage-event/1\",\"run\":\"r\",\"pair\":\"eurusd\",\"stage\":\"job\",\"status\":\"failed\",\"at\":\"2026-11-28T10:00:00Z\"}'|stage event has no 'attempt'",
        "'{\"schema\":\"bqx.stage-event/1\",\"run\":\"r\",\"pair\":\"eurusd\",\"attempt\":1,\"stage\":\"bake\",\"status\":\"failed\",\"at\":\"2026-11-28T10:00:00Z\"}'|stage event is malformed: unknown stage 'bake'",
        "'{\"schema\":\"bqx.stage-event/1\",\"run\":\"r\",\"pair\":\"xxxyyy\",\"attempt\":1,\"stage\":\"job\",\"status\":\"failed\",\"at\":\"2026-11-28T10:00:00Z\"}'|stage event is malformed: 'xxxyyy' is not a pair",
      })
  void parse_refusesMalformedEvents_withAReason(String json, String reason) {
    BusMessage bus = new BusMessage(json.getBytes(UTF_8), Map.of());
    MessageRejectedException e =
        assertThrows(MessageRejectedException.class, () -> StageEvent.parse(bus));
    assertThat(e.getMessage()).startsWith(reason).doesNotContain("\n");
  }
}

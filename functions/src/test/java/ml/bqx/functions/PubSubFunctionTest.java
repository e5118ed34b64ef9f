package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.Attributes;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.ErrorEvent;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The functions' shell, driven through their CloudEventsFunction entry: a message that can never
 * succeed is acked with its reason (and, from dispatch, an error event), a transient failure throws
 * so that Pub/Sub delivers again, an event nobody needs is skipped. What core does with the
 * messages is core's test (ml.bqx.core.control).
 */
class PubSubFunctionTest {
  @TempDir Path dir;
  private Harness h;

  @BeforeEach
  void setUp() throws IOException {
    h = new Harness(dir, 8);
  }

  @Test
  void dispatch_badPair_isAckedWithAnErrorEvent() throws IOException {
    h.deliver(
        Harness.PAIRS,
        new BusMessage("{\"pair\":\"eurxyz\"}".getBytes(StandardCharsets.UTF_8), Map.of()));

    assertThat(h.launcher.launches()).isEmpty();
    assertThat(h.publisher.on(Harness.EVENTS))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message().attribute(Attributes.KIND)).isEqualTo(ErrorEvent.KIND);
              ErrorEvent error = Json.fromBytes(p.message().data(), ErrorEvent.class);
              assertThat(error.function()).isEqualTo("dispatch");
              assertThat(error.reason()).contains("eurxyz").doesNotContain("\n");
            });
  }

  @Test
  void dispatch_malformedCloudEventOrUnknownRun_isAckedWithReason() throws IOException {
    h.dispatch.accept(
        Harness.rawCloudEvent(Harness.PAIRS, "x1", "not json".getBytes(StandardCharsets.UTF_8)));
    h.deliver(
        Harness.PAIRS,
        PairMessage.of(RunId.of("nosuchrun"), Pair.parse("eurusd"), 1).toBusMessage());

    List<String> reasons =
        h.publisher.on(Harness.EVENTS).stream()
            .map(p -> Json.fromBytes(p.message().data(), ErrorEvent.class).reason())
            .toList();
    assertThat(reasons).hasSize(2);
    assertThat(reasons.get(0)).contains("not a Pub/Sub message");
    assertThat(reasons.get(1)).contains("run 'nosuchrun' does not exist");
  }

  @Test
  void dispatch_whenStoreFails_throwsSoPubSubRetries() throws IOException {
    Path blocked = Files.writeString(dir.resolve("blocked"), "a file where a folder should be");
    ControlContext broken =
        new ControlContext(
            h.store,
            blocked.toUri(),
            h.launcher,
            h.publisher,
            h.context.verifier(),
            h.clock,
            h.context.settings());
    DispatchFunction function = new DispatchFunction(broken);

    assertThrows(
        IOException.class,
        () ->
            function.accept(
                Harness.cloudEvent(
                    Harness.PAIRS,
                    new PairMessage(null, Pair.parse("eurusd"), 1).toBusMessage(),
                    "1")));
    assertThat(h.launcher.launches()).isEmpty();
  }

  @Test
  void completion_nonTerminalEvent_isIgnoredWithoutReadingTheLedger() throws IOException {
    RunId unknown = RunId.of("never-created");
    StageEvent progress =
        StageEvent.of(
            unknown, Pair.parse("eurusd"), 1, Stage.EXTRACT, EventStatus.PROGRESS, Harness.START);
    h.completion.accept(Harness.cloudEvent(Harness.EVENTS, progress.toBusMessage(), "p1"));
    assertThat(h.publisher.all()).isEmpty();

    StageEvent terminal =
        StageEvent.of(
            unknown, Pair.parse("eurusd"), 1, Stage.JOB, EventStatus.FAILED, Harness.START);
    try (LogLines log = LogLines.of(CompletionFunction.class)) {
      h.completion.accept(Harness.cloudEvent(Harness.EVENTS, terminal.toBusMessage(), "p2"));
      assertThat(h.publisher.all()).as("nothing goes back to the events topic").isEmpty();
      assertThat(log.problems())
          .singleElement()
          .satisfies(line -> assertThat(line).contains("message p2").contains("does not exist"));
    }
  }
}

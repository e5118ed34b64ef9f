package ml.bqx.core.control;

import static ml.bqx.core.testing.ControlHarness.pairs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.MessageRejectedException;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.core.testing.ControlHarness;
import org.junit.jupiter.api.Test;

/** The completion handler, one stage event at a time: success, retry, a rejected output. */
class CompletionHandlerTest {
  private static final RunId RUN = RunId.of("prod-20261128");
  private final ControlHarness h = new ControlHarness(8);

  @Test
  void completion_success_marksSucceededAndPromotesTheNextQueuedPair() throws IOException {
    h.control.create(RUN, pairs(5), new RunSettings(4, 3, 0));
    h.drain();
    String first = h.launcher.running().get(0);

    h.succeed(first);
    h.drain();

    RunLedger ledger = h.ledger(RUN);
    assertThat(ledger.pair(pairs(1).get(0)).orElseThrow().state()).isEqualTo(PairState.SUCCEEDED);
    assertThat(ledger.pair(pairs(5).get(4)).orElseThrow().state()).isEqualTo(PairState.RUNNING);
    assertThat(h.launcher.launches()).hasSize(5);
    assertThat(h.context.slots().read().holders()).hasSize(4);
  }

  @Test
  void completion_nonTerminalEvent_isIgnored_evenOfARunThatDoesNotExist() throws IOException {
    RunId unknown = RunId.of("never-created");
    CompletionHandler handler = new CompletionHandler(h.context);
    StageEvent progress =
        StageEvent.of(
            unknown,
            Pair.parse("eurusd"),
            1,
            Stage.EXTRACT,
            EventStatus.PROGRESS,
            ControlHarness.START);

    assertThat(handler.handle(progress).kind()).isEqualTo(Outcome.Kind.IGNORED);
    assertThat(h.publisher.all()).isEmpty();

    StageEvent terminal =
        StageEvent.of(
            unknown, Pair.parse("eurusd"), 1, Stage.JOB, EventStatus.FAILED, ControlHarness.START);
    MessageRejectedException rejected =
        assertThrows(MessageRejectedException.class, () -> handler.handle(terminal));
    assertThat(rejected).hasMessageContaining("run 'never-created', which does not exist");
    assertThat(h.publisher.all()).isEmpty();
  }

  @Test
  void completion_retryableFailure_requeuesTheNextAttempt() throws IOException {
    h.control.create(RUN, pairs(1), new RunSettings(4, 2, 0));
    h.drain();
    h.fail(h.launcher.running().get(0), true);
    h.drain();
    assertThat(h.launcher.launches()).extracting(r -> r.attempt()).containsExactly(1, 2);

    h.fail(h.launcher.running().get(0), true);
    h.drain();
    RunLedger ledger = h.ledger(RUN);
    assertThat(ledger.pairs().get(0).state()).isEqualTo(PairState.FAILED);
    assertThat(ledger.pairs().get(0).lastError()).isEqualTo("extract failed: table x unreadable");
    assertThat(h.launcher.launches()).hasSize(2);
  }

  @Test
  void completion_wrongCrc_truncatedMissingOrWrongPair_isRejectedWithItsReason()
      throws IOException {
    List<Pair> four = pairs(4);
    h.control.create(RUN, four, new RunSettings(4, 1, 100));
    h.drain();
    List<String> running = h.launcher.running();
    StageEvent wrongCrc = h.succeed(running.get(0));
    StageEvent truncated = h.succeed(running.get(1));
    StageEvent missing = h.succeed(running.get(2));
    StageEvent wrongPair = h.succeed(running.get(3));
    h.publisher.takeNew();
    OutputFacts good = wrongCrc.output();
    h.store.write(
        URI.create(truncated.output().uri()),
        new byte[] {'P', 'A', 'R', '1'},
        WritePrecondition.none());
    h.store.delete(URI.create(missing.output().uri()));

    deliverEvent(wrongCrc.withOutput(new OutputFacts(good.uri(), good.bytes(), "AAAAAA==", 1, 1)));
    deliverEvent(truncated);
    deliverEvent(missing);
    deliverEvent(
        wrongPair.withOutput(new OutputFacts(good.uri(), good.bytes(), good.crc32c(), 1, 1)));

    RunLedger ledger = h.ledger(RUN);
    assertThat(ledger.pair(four.get(0)).orElseThrow().lastError()).contains("CRC32C", "AAAAAA==");
    assertThat(ledger.pair(four.get(1)).orElseThrow().lastError())
        .contains("has 4 bytes but the job reported");
    assertThat(ledger.pair(four.get(2)).orElseThrow().lastError()).contains("does not exist");
    assertThat(ledger.pair(four.get(3)).orElseThrow().lastError())
        .contains("expected", "training_" + four.get(3).name());
    assertThat(ledger.count(PairState.FAILED)).isEqualTo(4);
  }

  private void deliverEvent(StageEvent event) throws IOException {
    h.deliver(ControlHarness.EVENTS, event.toBusMessage());
  }
}

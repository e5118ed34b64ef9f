package ml.bqx.core.control;

import static ml.bqx.core.testing.ControlHarness.pairs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.MessageRejectedException;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.testing.ControlHarness;
import org.junit.jupiter.api.Test;

/** The dispatcher, one pair message at a time: caps, the ad-hoc run, a launch that goes wrong. */
class DispatcherTest {
  private static final RunId RUN = RunId.of("prod-20261128");
  private final ControlHarness h = new ControlHarness(8);

  @Test
  void dispatch_whenCapReached_queuesPair() throws IOException {
    h.control.create(RUN, pairs(6), new RunSettings(4, 3, 0));
    h.drain();

    RunLedger ledger = h.ledger(RUN);
    assertThat(h.launcher.launches()).hasSize(4);
    assertThat(ledger.count(PairState.RUNNING)).isEqualTo(4);
    assertThat(ledger.queued())
        .extracting(r -> r.pair())
        .containsExactlyElementsOf(pairs(6).subList(4, 6));
    assertThat(h.launcher.launches().get(0).environment())
        .containsEntry("TARGET_PAIR", pairs(1).get(0).name())
        .containsEntry("RUN_ID", RUN.value())
        .containsEntry("ATTEMPT", "1");
  }

  @Test
  void dispatch_ofAPairAnotherRunIsBuilding_waitsForIt_thenBuildsIt() throws IOException {
    RunId other = RunId.of("other");
    Pair pair = pairs(1).get(0);
    h.control.create(RUN, pairs(1), new RunSettings(4, 3, 0));
    h.drain();
    String first = h.launcher.running().get(0);

    h.control.create(other, pairs(2), new RunSettings(4, 3, 0));
    h.drain();

    // One output file per pair: the other run builds its second pair, and waits for the first.
    assertThat(h.launcher.running()).hasSize(2);
    assertThat(h.ledger(other).pair(pair).orElseThrow().state()).isEqualTo(PairState.QUEUED);
    assertThat(h.context.slots().read().waiters())
        .singleElement()
        .satisfies(w -> assertThat(w.pair()).isEqualTo(pair));

    h.succeed(first);
    h.drain();

    assertThat(h.ledger(RUN).pair(pair).orElseThrow().state()).isEqualTo(PairState.SUCCEEDED);
    assertThat(h.ledger(other).pair(pair).orElseThrow().state()).isEqualTo(PairState.RUNNING);
    assertThat(h.launcher.launches()).hasSize(3);
    assertThat(h.context.slots().read().waiters()).isEmpty();
  }

  @Test
  void dispatch_withoutRun_joinsTheAdHocRunOfTheUtcDay() throws IOException {
    h.deliver(ControlHarness.PAIRS, new BusMessage(new byte[0], Map.of("pair", "gbpusd")));

    RunId adHoc = RunId.of("adhoc-2026-11-28");
    assertThat(h.ledger(adHoc).pair(Pair.parse("gbpusd")).orElseThrow().state())
        .isEqualTo(PairState.RUNNING);
    assertThat(h.launcher.launches())
        .singleElement()
        .satisfies(r -> assertThat(r.run()).isEqualTo(adHoc));

    h.deliver(
        ControlHarness.PAIRS,
        new BusMessage("{\"pair\":\"eurusd\"}".getBytes(StandardCharsets.UTF_8), Map.of()));
    assertThat(h.ledger(adHoc).pairs()).hasSize(2);
    assertThat(h.launcher.launches()).hasSize(2);
  }

  @Test
  void dispatch_ofARunThatDoesNotExist_isRejectedWithItsReason_andLaunchesNothing() {
    PairMessage message = PairMessage.of(RunId.of("nosuchrun"), Pair.parse("eurusd"), 1);

    MessageRejectedException rejected =
        assertThrows(
            MessageRejectedException.class, () -> new Dispatcher(h.context).dispatch(message));

    assertThat(rejected).hasMessageContaining("run 'nosuchrun' does not exist");
    assertThat(h.launcher.launches()).isEmpty();
  }

  @Test
  void dispatch_whenLaunchFails_countsAFailedAttemptAndGivesTheSlotBack() throws IOException {
    h.launcher.failLaunches(true);
    h.control.create(RUN, pairs(1), new RunSettings(4, 1, 0));
    h.drain();
    RunLedger ledger = h.ledger(RUN);
    assertThat(ledger.pairs().get(0).state()).isEqualTo(PairState.FAILED);
    assertThat(ledger.pairs().get(0).lastError()).contains("launch failed: Cloud Run said no");
    assertThat(h.context.slots().read().holders()).isEmpty();
  }

  @Test
  void dispatch_whenReconcileGaveUpOnTheLaunchMeanwhile_cancelsTheExecutionItStarted()
      throws IOException {
    RunId run = RunId.of("slow-launch");
    h.launcher.duringLaunch(
        () -> {
          // Cloud Run takes longer than the grace: reconcile takes the attempt for lost.
          h.clock.advance(Duration.ofMinutes(11));
          try {
            h.reconcileOnce();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          h.launcher.duringLaunch(() -> {});
        });

    h.control.create(run, pairs(1), new RunSettings(4, 3, 0));
    h.drain();

    // Attempt 1's execution started after its attempt was given up: it is cancelled, not left
    // running beside attempt 2.
    assertThat(h.launcher.launches()).extracting(r -> r.attempt()).containsExactly(1, 2);
    assertThat(h.launcher.cancelled()).containsExactly("exec-1-" + pairs(1).get(0).name());
    assertThat(h.ledger(run).pairs().get(0).attempt()).isEqualTo(2);
    assertThat(h.ledger(run).pairs().get(0).state()).isEqualTo(PairState.RUNNING);
  }
}

package ml.bqx.core.control;

import static java.nio.charset.StandardCharsets.UTF_8;
import static ml.bqx.core.testing.ControlHarness.pairs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.core.testing.ControlHarness;
import ml.bqx.core.verify.StoredObjectVerifier;
import org.junit.jupiter.api.Test;

/**
 * Reconcile, tick by tick: a lost terminal event, a launch that never became an execution, an
 * execution that just ended, and what it lists to find the runs.
 */
class ReconcilerTest {
  private static final RunId RUN = RunId.of("prod-20261128");
  private static final Pair EURUSD = Pair.parse("eurusd");
  private final ControlHarness h = new ControlHarness(8);

  @Test
  void reconcile_recoversALostTerminalEvent() throws IOException {
    h.control.create(RUN, pairs(2), new RunSettings(4, 3, 0));
    h.drain();
    String lost = h.launcher.running().get(0);
    h.succeed(lost);
    h.publisher.takeNew(); // the terminal event never reaches us

    // The other pair is still running: reconcile leaves it alone.
    Pair other = pairs(2).get(1);

    h.reconcileOnce();
    h.drain();

    // The execution succeeded and its file checks out: the pair succeeded, nothing runs again.
    RunLedger after = h.ledger(RUN);
    assertThat(after.pair(pairs(1).get(0)).orElseThrow().state()).isEqualTo(PairState.SUCCEEDED);
    assertThat(after.pair(pairs(1).get(0)).orElseThrow().attempt()).isEqualTo(1);
    assertThat(h.launcher.launches()).extracting(r -> r.attempt()).containsExactly(1, 1);
    assertThat(after.pair(other).orElseThrow().state()).isEqualTo(PairState.RUNNING);
    assertThat(after.pair(other).orElseThrow().attempt()).isEqualTo(1);
  }

  @Test
  void reconcile_startingWithoutExecution_isRetriedAfterTheGraceOnly() throws IOException {
    RunId run = RunId.of("stuck");
    h.control.create(run, pairs(1), new RunSettings(4, 3, 0));
    h.publisher.takeNew();
    // The dispatcher took the slot and moved the pair to STARTING, then died before launching.
    Pair pair = pairs(1).get(0);
    h.context.slots().acquire(run, pair, 1, 8);
    h.context
        .ledgers()
        .update(
            run,
            l ->
                l.transition(
                    pair,
                    1,
                    PairState.STARTING,
                    h.clock.instant(),
                    "slot taken",
                    r -> r.withTimes(r.queuedAt(), h.clock.instant(), null)));

    h.reconcileOnce();
    assertThat(h.ledger(run).pairs().get(0).state()).isEqualTo(PairState.STARTING);

    h.clock.advance(Duration.ofMinutes(11));
    h.reconcileOnce();
    h.drain();
    assertThat(h.ledger(run).pairs().get(0).attempt()).isEqualTo(2);
    assertThat(h.ledger(run).pairs().get(0).state()).isEqualTo(PairState.RUNNING);
    assertThat(h.launcher.launches())
        .singleElement()
        .satisfies(r -> assertThat(r.attempt()).isEqualTo(2));
    assertThat(h.context.slots().read().holders()).hasSize(1);
  }

  /** One pair running; its job ends as the launcher sees it, having published {@code file}. */
  private void jobEndsWithoutItsEvent(ExecutionState.Phase phase, byte[] file) throws IOException {
    h.control.create(RUN, List.of(EURUSD), new RunSettings(2, 3, 0));
    h.drain();
    assertThat(h.launcher.running()).hasSize(1);
    if (file != null) {
      h.store.write(StoreLayout.trainingFile(h.output, EURUSD), file, WritePrecondition.none());
    }
    h.launcher.end(h.launcher.running().get(0), phase);
    h.publisher.takeNew();
    h.reconcileOnce();
    h.drain();
  }

  private PairRecord eurusd() throws IOException {
    return h.ledger(RUN).pair(EURUSD).orElseThrow();
  }

  @Test
  void reconcile_succeededExecutionWithoutAFile_retries() throws IOException {
    jobEndsWithoutItsEvent(ExecutionState.Phase.SUCCEEDED, null);

    PairRecord record = eurusd();
    assertThat(record.attempt()).isEqualTo(2);
    assertThat(record.lastError()).contains("does not exist");
    assertThat(h.launcher.launches()).extracting(r -> r.attempt()).containsExactly(1, 2);
  }

  @Test
  void reconcile_failedExecutionWithoutItsEvent_retriesEvenIfAFileIsThere() throws IOException {
    jobEndsWithoutItsEvent(ExecutionState.Phase.FAILED, "PAR1 a file PAR1".getBytes(UTF_8));

    PairRecord record = eurusd();
    assertThat(record.attempt()).isEqualTo(2);
    assertThat(record.lastError()).contains("ended FAILED without its terminal event");
    assertThat(h.launcher.launches()).extracting(r -> r.attempt()).containsExactly(1, 2);
  }

  @Test
  void reconcile_executionThatJustEnded_leavesItsEventTimeToArrive_thenSettlesIt()
      throws IOException {
    h.control.create(RUN, List.of(EURUSD), new RunSettings(2, 3, 0));
    h.drain();
    h.launcher.end(h.launcher.running().get(0), ExecutionState.Phase.FAILED, h.clock.instant());
    h.publisher.takeNew();

    h.reconcileOnce();
    h.drain();
    assertThat(eurusd().state()).isEqualTo(PairState.RUNNING);
    assertThat(eurusd().attempt()).isEqualTo(1);

    h.clock.advance(Reconciler.TERMINAL_EVENT_GRACE.plusSeconds(1));
    h.reconcileOnce();
    h.drain();
    assertThat(eurusd().attempt()).isEqualTo(2);
    assertThat(eurusd().lastError()).contains("ended FAILED without its terminal event");
  }

  /**
   * Reconcile runs every few minutes over a staging bucket where each run keeps objects beside its
   * ledger (attempts' staging files; a failed pair's stay 30 days): it lists the ledgers only.
   */
  @Test
  void reconcile_listsTheLedgersOnly_notTheCheckpointsBesideThem() throws IOException {
    List<RunId> runs = List.of(RunId.of("r1"), RunId.of("r2"));
    for (RunId run : runs) {
      h.control.create(run, pairs(2), new RunSettings(2, 3, 0));
    }
    h.drain();
    for (int i = 0; i < 500; i++) {
      h.store.write(
          StoreLayout.stagingFile(h.staging, runs.get(0), EURUSD, i + 1),
          new byte[] {1},
          WritePrecondition.none());
    }
    CountingObjectStore counting = new CountingObjectStore(h.store);
    ControlContext context =
        new ControlContext(
            counting,
            h.staging,
            h.launcher,
            h.publisher,
            new StoredObjectVerifier(counting),
            h.clock,
            h.context.settings());

    new Reconciler(context).reconcile();

    assertThat(counting.listedByGlob.get()).isEqualTo(runs.size());
    assertThat(counting.listedByPrefix.get()).isZero();
    assertThat(context.ledgers().runs()).containsExactlyInAnyOrderElementsOf(runs);
  }
}

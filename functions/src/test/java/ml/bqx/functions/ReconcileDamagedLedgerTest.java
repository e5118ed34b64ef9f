package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.port.WritePrecondition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One damaged ledger among the runs reconcile goes over (issue 15, item 2): the pass logs it in one
 * line naming the run and the object, leaves it byte for byte as it is, keeps the slot its pair
 * holds, and recovers the runs listed after it. A run that fails for a passing reason does not stop
 * the others either, and fails the pass so that the tick is delivered again.
 */
class ReconcileDamagedLedgerTest {
  private static final RunId FIRST = RunId.of("a-first");
  private static final RunId LATER = RunId.of("b-later");
  private static final Pair EURUSD = Pair.parse("eurusd");
  private static final Pair USDJPY = Pair.parse("usdjpy");

  @TempDir Path dir;
  private Harness h;
  private Path firstLedger;

  /** Both runs have a pair running; the later run's execution ends and its event is lost. */
  @BeforeEach
  void twoRunsEachWithARunningPair() throws IOException {
    h = new Harness(dir, 8);
    h.control.create(FIRST, List.of(EURUSD), new RunSettings(1, 3, 0));
    h.control.create(LATER, List.of(USDJPY), new RunSettings(1, 3, 0));
    h.drain();
    assertThat(h.launcher.running()).hasSize(2);
    String later =
        h.launcher.running().stream().filter(e -> e.endsWith(USDJPY.name())).findFirst().get();
    h.launcher.end(later, ExecutionState.Phase.FAILED);
    firstLedger = Path.of(h.context.ledgers().ledgerUri(FIRST));
  }

  @Test
  void reconcile_pastALedgerThatIsNotJson_recoversTheLaterRun() throws IOException {
    long generation = h.store.stat(firstLedger.toUri()).orElseThrow().generation();
    h.store.write(
        firstLedger.toUri(),
        "{\"run\":\"a-first\",\"pairs\":[".getBytes(StandardCharsets.UTF_8),
        WritePrecondition.generationMatches(generation));

    reconcileRecoversTheLaterRunAndLeavesTheDamagedOne("is not a valid RunLedger: ");
  }

  @Test
  void reconcile_pastATruncatedLedger_recoversTheLaterRun() throws IOException {
    long size = Files.size(firstLedger);
    try (FileChannel file = FileChannel.open(firstLedger, StandardOpenOption.WRITE)) {
      file.truncate(size / 2);
    }

    reconcileRecoversTheLaterRunAndLeavesTheDamagedOne(
        "stored size " + size + " bytes, found " + size / 2 + ": the object is damaged");
  }

  @Test
  void reconcile_pastARunCloudRunCannotAnswerFor_recoversTheLaterRun_thenFailsThePass()
      throws IOException {
    String first =
        h.launcher.running().stream().filter(e -> e.endsWith(EURUSD.name())).findFirst().get();
    h.launcher.failStateOf(first);
    h.publisher.takeNew();

    IOException e =
        assertThrows(
            IOException.class,
            () ->
                h.reconcile.accept(
                    Harness.cloudEvent(
                        "bqx-reconcile", new BusMessage(new byte[0], Map.of()), "r1")));
    h.drain();

    assertThat(e).hasMessage("Cloud Run said 503 for " + first);
    assertThat(h.ledger(LATER).pair(USDJPY).orElseThrow().attempt()).isEqualTo(2);
    assertThat(h.ledger(FIRST).pair(EURUSD).orElseThrow().state()).isEqualTo(PairState.RUNNING);
  }

  private void reconcileRecoversTheLaterRunAndLeavesTheDamagedOne(String reason)
      throws IOException {
    byte[] content = Files.readAllBytes(firstLedger);
    byte[] meta = Files.readAllBytes(firstLedger.resolveSibling(".ledger.json.meta"));
    h.publisher.takeNew();

    try (LogLines log = LogLines.of(ReconcileFunction.class)) {
      h.reconcile.accept(
          Harness.cloudEvent("bqx-reconcile", new BusMessage(new byte[0], Map.of()), "r1"));
      assertThat(log.problems())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith(
                          "SEVERE reconcile: the ledger of run 'a-first' is refused: "
                              + firstLedger.toUri())
                      .contains(reason)
                      .doesNotContain("\n"));
    }
    h.drain();

    PairRecord later = h.ledger(LATER).pair(USDJPY).orElseThrow();
    assertThat(later.attempt()).isEqualTo(2);
    assertThat(later.state()).isEqualTo(PairState.RUNNING);
    assertThat(later.lastError()).contains("ended FAILED without its terminal event");
    assertThat(Files.readAllBytes(firstLedger)).isEqualTo(content);
    assertThat(Files.readAllBytes(firstLedger.resolveSibling(".ledger.json.meta"))).isEqualTo(meta);
    assertThat(h.context.slots().read().holders())
        .as("the damaged run's pair keeps its slot: nobody knows it ended")
        .anyMatch(holder -> holder.run().equals(FIRST) && holder.pair().equals(EURUSD));
  }
}

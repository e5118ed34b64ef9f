package ml.bqx.core.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import org.junit.jupiter.api.Test;

/** The live view of a run: per pair stage, tables and ETA; per run counts, tables/min and ETA. */
class RunProgressTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final RunId RUN = RunId.of("live-1");
  private static final Pair A = Pair.parse("audcad");
  private static final Pair B = Pair.parse("eurjpy");
  private static final Pair C = Pair.parse("nzdchf");
  private static final Pair D = Pair.parse("gbpjpy");

  @Test
  void progress_fromTheLedgerAndTheJobsObjects_givesStagesTablesAndEtas() {
    // Cap 2: A succeeded in 100 s (20 s of it after its extract); B extracts; C merges; D queued.
    RunLedger ledger = RunLedger.create(RUN, List.of(A, B, C, D), new RunSettings(2, 3, 0), T0);
    ledger = start(ledger, A, 0);
    ledger =
        ledger.transition(
            A,
            1,
            PairState.SUCCEEDED,
            T0.plusSeconds(100),
            "ok",
            r ->
                r.withTimes(r.queuedAt(), r.startedAt(), T0.plusSeconds(100))
                    .withOutcome(
                        Stage.JOB,
                        null,
                        new OutputFacts("gs://o/training_audcad.parquet", 1, "x", 1, 1),
                        Map.of(
                            Metric.durationOf(Stage.MERGE),
                            15_000.0,
                            Metric.durationOf(Stage.UPLOAD),
                            5_000.0)));
    ledger = start(ledger, B, 100);
    ledger = start(ledger, C, 100);
    PairProgress extracting =
        PairProgress.started(RUN, B, 1, T0.plusSeconds(100))
            .after(event(B, Stage.EXTRACT, EventStatus.STARTED, Map.of()))
            .after(
                event(
                    B,
                    Stage.EXTRACT,
                    EventStatus.PROGRESS,
                    Map.of(
                        Metric.TABLES,
                        30.0,
                        Metric.TABLES_TOTAL,
                        90.0,
                        Metric.TABLES_PER_MIN,
                        120.0)));
    PairProgress merging =
        PairProgress.started(RUN, C, 1, T0.plusSeconds(100))
            .after(event(C, Stage.EXTRACT, EventStatus.STARTED, Map.of()))
            .after(
                event(
                    C,
                    Stage.EXTRACT,
                    EventStatus.SUCCEEDED,
                    Map.of(Metric.TABLES, 90.0, Metric.TABLES_PER_MIN, 100.0)))
            .after(event(C, Stage.MERGE, EventStatus.STARTED, Map.of()));

    RunProgress live =
        RunProgress.of(ledger, Map.of(B, extracting, C, merging), T0.plusSeconds(160));

    assertThat(live.done()).isEqualTo(1);
    assertThat(live.running()).isEqualTo(2);
    assertThat(live.queued()).isEqualTo(1);
    // Only the extracting pair counts towards tables/min.
    assertThat(live.tablesPerMin()).isEqualTo(120.0);
    RunProgress.PairLive b = live.pairs().get(0);
    assertThat(b.pair()).isEqualTo(B);
    assertThat(b.stage()).isEqualTo(Stage.EXTRACT);
    assertThat(b.tablesDone()).isEqualTo(30);
    assertThat(b.tablesTotal()).isEqualTo(90);
    // 60 tables at 120/min, then the 20 s A's stages after its extract took.
    assertThat(b.etaSeconds()).isEqualTo(50.0);
    RunProgress.PairLive c = live.pairs().get(1);
    assertThat(c.stage()).isEqualTo(Stage.MERGE);
    assertThat(c.tablesDone()).isEqualTo(90);
    assertThat(c.tablesTotal()).isEqualTo(90);
    // After its extract: A's 100 s less its own 60 s.
    assertThat(c.etaSeconds()).isEqualTo(40.0);
    // (50 + 40 + one queued pair of 100 s) over 2 slots, and no less than its longest pair.
    assertThat(live.etaSeconds()).isEqualTo(95.0);
  }

  @Test
  void progress_beforeAnyPairSucceeded_hasNoEta_andAFinishedRunHasNoneLeft() {
    RunLedger ledger = start(RunLedger.create(RUN, List.of(A), new RunSettings(1, 3, 0), T0), A, 0);
    RunProgress early = RunProgress.of(ledger, Map.of(), T0.plusSeconds(5));
    assertThat(early.etaSeconds()).isNull();
    assertThat(early.pairs()).singleElement().satisfies(p -> assertThat(p.stage()).isNull());

    RunLedger done = ledger.transition(A, 1, PairState.FAILED, T0.plusSeconds(9), "bad", r -> r);
    assertThat(RunProgress.of(done, Map.of(), T0.plusSeconds(10)).etaSeconds()).isZero();
  }

  private static RunLedger start(RunLedger ledger, Pair pair, int second) {
    Instant at = T0.plusSeconds(second);
    return ledger
        .transition(pair, 1, PairState.STARTING, at, "slot", r -> r.withTimes(T0, at, null))
        .transition(pair, 1, PairState.RUNNING, at, "exec", r -> r.withExecution("e-" + pair));
  }

  private static StageEvent event(
      Pair pair, Stage stage, EventStatus status, Map<String, Double> metrics) {
    return StageEvent.of(RUN, pair, 1, stage, status, T0.plusSeconds(150)).withMetrics(metrics);
  }
}

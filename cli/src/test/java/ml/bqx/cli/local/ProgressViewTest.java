package ml.bqx.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.progress.PairProgress;
import org.junit.jupiter.api.Test;

/** The local run's line, from the ledger and the jobs' progress objects as status reads them. */
class ProgressViewTest {
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final RunId RUN = RunId.of("progress");
  private static final Pair EURUSD = Pair.parse("eurusd");
  private static final Pair USDJPY = Pair.parse("usdjpy");
  private static final Pair AUDJPY = Pair.parse("audjpy");

  @Test
  void line_showsEachRunningPairsStage_andTheExtractingPairsTablesPerMinute() {
    RunLedger ledger =
        RunLedger.create(RUN, List.of(EURUSD, USDJPY, AUDJPY), new RunSettings(2, 3, 0), T0);
    ledger = running(running(ledger, EURUSD), USDJPY);
    PairProgress extracting =
        PairProgress.started(RUN, EURUSD, 1, T0)
            .after(StageEvent.of(RUN, EURUSD, 1, Stage.EXTRACT, EventStatus.STARTED, T0))
            .after(
                StageEvent.of(RUN, EURUSD, 1, Stage.EXTRACT, EventStatus.PROGRESS, T0)
                    .withMetrics(
                        Map.of(
                            Metric.TABLES, 10.0,
                            Metric.TABLES_TOTAL, 40.0,
                            Metric.TABLES_PER_MIN, 120.0)));

    String line = new ProgressView(T0).line(ledger, Map.of(EURUSD, extracting), T0.plusSeconds(30));

    assertThat(line)
        .startsWith("[30s] 0/3 done, 0 failed, 2 running, 1 queued | 120 tables/min | ETA -")
        .endsWith("| eurusd:extract usdjpy:starting");
  }

  @Test
  void
      line_saysStartedWhileAJobPrepares_finishingOnceItsProgressIsGone_andNoRateWhileNoneExtracts() {
    RunLedger ledger =
        running(
            RunLedger.create(RUN, List.of(EURUSD, USDJPY), new RunSettings(2, 3, 0), T0), EURUSD);
    ledger = running(ledger, USDJPY);
    ProgressView view = new ProgressView(T0);

    String preparing =
        view.line(ledger, Map.of(EURUSD, PairProgress.started(RUN, EURUSD, 1, T0)), T0);
    String ended = view.line(ledger, Map.of(), T0.plusSeconds(40));

    assertThat(preparing).contains("| - tables/min |").endsWith("| eurusd:started usdjpy:starting");
    // eurusd's job removed its progress object at its end; usdjpy's has not written one yet.
    assertThat(ended).endsWith("| eurusd:finishing usdjpy:starting");
    assertThat(ProgressPrinter.withoutClocks(ended)).doesNotContain("tables/min");
  }

  private static RunLedger running(RunLedger ledger, Pair pair) {
    return ledger
        .transition(pair, 1, PairState.STARTING, T0, "slot", r -> r.withTimes(T0, T0, null))
        .transition(pair, 1, PairState.RUNNING, T0, "exec", r -> r.withExecution("e-" + pair));
  }
}

package ml.bqx.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import org.junit.jupiter.api.Test;

/** The live line's tables/min: a rolling figure over all pairs, not the latest event's. */
class ProgressViewTest {
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final RunId RUN = RunId.of("progress");
  private static final Pair EURUSD = Pair.parse("eurusd");
  private static final Pair USDJPY = Pair.parse("usdjpy");

  private static StageEvent event(Pair pair, Stage stage, EventStatus status, int sec, int tables) {
    StageEvent event = StageEvent.of(RUN, pair, 1, stage, status, T0.plusSeconds(sec));
    return tables < 0 ? event : event.withMetrics(Map.of("tables", (double) tables));
  }

  @Test
  void tablesPerMinute_keepsCountingWhilePairsMergeAfterExtracting() {
    ProgressView view = new ProgressView(T0);
    // eurusd extracts 10 tables over 20 s, usdjpy 20 tables over the same 20 s.
    for (int s = 2; s <= 20; s += 2) {
      view.heard(event(EURUSD, Stage.EXTRACT, EventStatus.PROGRESS, s, s / 2));
      view.heard(event(USDJPY, Stage.EXTRACT, EventStatus.PROGRESS, s, s));
    }
    // Then both merge: their latest events carry no table counts.
    view.heard(event(EURUSD, Stage.MERGE, EventStatus.STARTED, 21, -1));
    view.heard(event(USDJPY, Stage.MERGE, EventStatus.STARTED, 21, -1));

    // 30 tables since the first at 2 s: 30 over 20 s is 90 a minute.
    assertThat(view.tablesPerMinute(T0.plusSeconds(22))).isCloseTo(90, within(1));
    RunLedger ledger = RunLedger.create(RUN, List.of(EURUSD, USDJPY), new RunSettings(2, 3, 0), T0);
    assertThat(view.line(ledger, T0.plusSeconds(22))).contains("| 90 tables/min |");
  }

  @Test
  void tablesPerMinute_countsEachTableOnce_andFadesAfterTheWindow() {
    ProgressView view = new ProgressView(T0);
    view.heard(event(EURUSD, Stage.EXTRACT, EventStatus.PROGRESS, 0, 5));
    view.heard(event(EURUSD, Stage.EXTRACT, EventStatus.PROGRESS, 30, 15));
    // The extract's success repeats the total: nothing new.
    view.heard(event(EURUSD, Stage.EXTRACT, EventStatus.SUCCEEDED, 30, 15));
    assertThat(view.tablesPerMinute(T0.plusSeconds(60))).isCloseTo(15, within(0.01));
    assertThat(view.tablesPerMinute(T0.plus(ProgressView.WINDOW).plusSeconds(31))).isZero();
  }

  @Test
  void tablesPerMinute_beforeAnyTable_isZero() {
    ProgressView view = new ProgressView(T0);
    view.heard(event(EURUSD, Stage.EXTRACT, EventStatus.STARTED, 1, -1));
    assertThat(view.tablesPerMinute(T0.plus(Duration.ofSeconds(5)))).isZero();
  }

  private static org.assertj.core.data.Offset<Double> within(double value) {
    return org.assertj.core.data.Offset.offset(value);
  }
}

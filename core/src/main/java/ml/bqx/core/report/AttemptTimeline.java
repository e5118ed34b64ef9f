package ml.bqx.core.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.HistoryEntry;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;

/**
 * A run's history regrouped per pair as attempts: each spans from taking a slot (STARTING) to
 * leaving it (succeeded, failed, re-queued for a retry, cancelled), or to {@code now}, with the
 * figures the transition that ended it kept.
 */
final class AttemptTimeline {
  static final List<Stage> STAGES =
      List.of(Stage.EXTRACT, Stage.MERGE, Stage.VALIDATE, Stage.UPLOAD, Stage.CLEANUP);

  private AttemptTimeline() {}

  static Map<Pair, List<AttemptReport>> of(RunLedger ledger, CostModel cost, Instant now) {
    Map<Pair, List<AttemptReport>> spans = new LinkedHashMap<>();
    Map<Pair, HistoryEntry> open = new LinkedHashMap<>();
    for (PairRecord record : ledger.pairs()) {
      spans.put(record.pair(), new ArrayList<>());
    }
    for (HistoryEntry entry : ledger.history()) {
      List<AttemptReport> list = spans.computeIfAbsent(entry.pair(), p -> new ArrayList<>());
      if (entry.to() == PairState.STARTING) {
        open.put(entry.pair(), entry);
      } else if (entry.from() != null && entry.from().holdsSlot() && !entry.to().holdsSlot()) {
        HistoryEntry start = open.remove(entry.pair());
        Instant from = start == null ? entry.at() : start.at();
        // A retry re-queues with the next attempt's number: the span is the attempt that started.
        int attempt = start == null ? entry.attempt() : start.attempt();
        list.add(
            attempt(
                attempt,
                from,
                entry.at(),
                entry.to(),
                entry.reason(),
                entry.figures(),
                cost,
                entry.at()));
      }
    }
    open.forEach(
        (pair, start) ->
            spans
                .get(pair)
                .add(attempt(start.attempt(), start.at(), null, null, null, Map.of(), cost, now)));
    return spans;
  }

  private static AttemptReport attempt(
      int attempt,
      Instant start,
      Instant end,
      PairState outcome,
      String reason,
      Map<String, Double> figures,
      CostModel cost,
      Instant until) {
    boolean failed =
        outcome == PairState.FAILED
            || outcome == PairState.CANCELLED
            || (outcome == PairState.QUEUED && end != null);
    Duration held = Duration.between(start, until.isBefore(start) ? start : until);
    return new AttemptReport(
        attempt,
        start,
        end,
        outcome,
        failed,
        failed ? reason : null,
        stages(figures, failed),
        figures.getOrDefault(Metric.TABLES, 0.0),
        figures.getOrDefault(Metric.TABLES_PER_MIN, 0.0),
        figures.getOrDefault(Metric.ROWS, 0.0).longValue(),
        figures.getOrDefault(Metric.COLUMNS, 0.0).intValue(),
        figures.getOrDefault(Metric.BYTES, 0.0).longValue(),
        held.toMillis() / 1000.0,
        cost.cost(held));
  }

  /**
   * The stages the attempt's job timed, in order. Stages run one after another and the job times
   * the one that throws too, so in a failed attempt whose job stopped short of cleanup the last
   * timed stage is where it failed (an attempt whose every stage ran failed after its job, in the
   * output check: its reason says so).
   */
  private static List<StageTime> stages(Map<String, Double> figures, boolean failed) {
    List<StageTime> stages = new ArrayList<>();
    for (Stage stage : STAGES) {
      Double millis = figures.get(Metric.durationOf(stage));
      if (millis != null) {
        stages.add(new StageTime(stage, millis / 1000.0, false));
      }
    }
    if (failed && !stages.isEmpty() && stages.get(stages.size() - 1).stage() != Stage.CLEANUP) {
      StageTime last = stages.remove(stages.size() - 1);
      stages.add(new StageTime(last.stage(), last.seconds(), true));
    }
    return stages;
  }
}

package ml.bqx.core.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;

/**
 * A run's report, written as {@code <staging>/runs/<run>/report.json} when the run ends and
 * computed on demand by {@code bqx status}: per pair state, attempts, stage durations, shape,
 * tables/min and cost; the run's counts and whether it succeeded within its tolerated failures.
 *
 * <p>Every figure comes from the job's terminal event, kept by the ledger per attempt (its history)
 * and for the last attempt (its pair line), under the names of {@link Metric}: stage durations
 * {@code <stage>.durationMs}, tables, tables/min, rows, columns, bytes. Time and cost are the time
 * each attempt held a slot, priced with the {@link CostModel}.
 */
public record RunReport(
    String schema,
    RunId run,
    Instant createdAt,
    Instant generatedAt,
    boolean finished,
    boolean cancelled,
    boolean succeeded,
    RunOutcome outcome,
    RunSettings settings,
    int pairsTotal,
    Map<PairState, Long> counts,
    double failedPercent,
    long totalRows,
    long totalBytes,
    double executionSeconds,
    double costUsd,
    List<PairReport> pairs) {
  public static final String SCHEMA = "bqx.run-report/2";

  /** Builds the report of a ledger as it is now. */
  public static RunReport of(RunLedger ledger, CostModel cost, Instant now) {
    Map<Pair, List<AttemptReport>> timeline = AttemptTimeline.of(ledger, cost, now);
    List<PairReport> lines = new ArrayList<>();
    for (PairRecord record : ledger.pairs()) {
      lines.add(line(record, timeline.getOrDefault(record.pair(), List.of())));
    }
    long total = ledger.pairs().size();
    long notSucceeded = total - ledger.count(PairState.SUCCEEDED);
    double failedPercent = total == 0 ? 0 : 100.0 * notSucceeded / total;
    boolean finished = ledger.isFinished();
    RunOutcome outcome = RunOutcome.of(ledger);
    return new RunReport(
        SCHEMA,
        ledger.run(),
        ledger.createdAt(),
        now,
        finished,
        ledger.cancelled(),
        outcome.succeeded(),
        outcome,
        ledger.settings(),
        (int) total,
        ledger.counts(),
        failedPercent,
        lines.stream().mapToLong(PairReport::rows).sum(),
        lines.stream().mapToLong(PairReport::bytes).sum(),
        lines.stream().mapToDouble(PairReport::executionSeconds).sum(),
        lines.stream().mapToDouble(PairReport::costUsd).sum(),
        lines);
  }

  private static PairReport line(PairRecord record, List<AttemptReport> attempts) {
    Map<String, Double> metrics = record.metrics();
    Map<String, Double> stageSeconds = new LinkedHashMap<>();
    for (Stage stage : AttemptTimeline.STAGES) {
      Double ms = metrics.get(Metric.durationOf(stage));
      if (ms != null) {
        stageSeconds.put(stage.wireName(), ms / 1000.0);
      }
    }
    OutputFacts output = record.output();
    long rows = output != null ? output.rows() : metric(metrics, Metric.ROWS).longValue();
    int columns = output != null ? output.columns() : metric(metrics, Metric.COLUMNS).intValue();
    long bytes = output != null ? output.bytes() : metric(metrics, Metric.BYTES).longValue();
    double tables = metric(metrics, Metric.TABLES);
    double tablesPerMin = metric(metrics, Metric.TABLES_PER_MIN);
    Double extractSeconds = stageSeconds.get(Stage.EXTRACT.wireName());
    if (tablesPerMin == 0 && tables > 0 && extractSeconds != null && extractSeconds > 0) {
      tablesPerMin = tables / (extractSeconds / 60.0);
    }
    return new PairReport(
        record.pair(),
        record.state(),
        Math.max(attempts.size(), record.state() == PairState.QUEUED ? record.attempt() - 1 : 0),
        record.execution(),
        record.lastError(),
        output == null ? null : output.uri(),
        stageSeconds,
        rows,
        columns,
        bytes,
        tables,
        tablesPerMin,
        attempts.stream().mapToDouble(AttemptReport::seconds).sum(),
        attempts.stream().mapToDouble(AttemptReport::costUsd).sum(),
        attempts);
  }

  private static Double metric(Map<String, Double> metrics, String name) {
    return metrics.getOrDefault(name, 0.0);
  }
}

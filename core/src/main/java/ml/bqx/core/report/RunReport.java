package ml.bqx.core.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.HistoryEntry;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;

/**
 * A run's report, written as {@code <staging>/runs/<run>/report.json} when the run ends and
 * computed on demand by {@code bqx status}: per pair state, attempts, stage durations, shape,
 * tables/min and cost; the run's counts and whether it succeeded within its tolerated failures.
 *
 * <p>Stage durations come from the job's terminal event metrics named {@code <stage>.durationMs}
 * (e.g. {@code extract.durationMs}); tables from {@code tables}, tables/min from {@code
 * tablesPerMin}.
 */
public record RunReport(
    String schema,
    RunId run,
    Instant createdAt,
    Instant generatedAt,
    boolean finished,
    boolean cancelled,
    boolean succeeded,
    RunSettings settings,
    int pairsTotal,
    Map<PairState, Long> counts,
    double failedPercent,
    long totalRows,
    long totalBytes,
    double executionSeconds,
    double costUsd,
    List<PairReport> pairs) {
  public static final String SCHEMA = "bqx.run-report/1";

  /** Builds the report of a ledger as it is now. */
  public static RunReport of(RunLedger ledger, CostModel cost, Instant now) {
    Map<Pair, Duration> ran = slotTime(ledger.history(), now);
    Map<Pair, Integer> starts = new HashMap<>();
    for (HistoryEntry entry : ledger.history()) {
      if (entry.to() == PairState.STARTING) {
        starts.merge(entry.pair(), 1, Integer::sum);
      }
    }
    List<PairReport> lines = new ArrayList<>();
    for (PairRecord record : ledger.pairs()) {
      Duration time = ran.getOrDefault(record.pair(), Duration.ZERO);
      lines.add(line(record, starts.getOrDefault(record.pair(), 0), time, cost));
    }
    long total = ledger.pairs().size();
    long notSucceeded = total - ledger.count(PairState.SUCCEEDED);
    double failedPercent = total == 0 ? 0 : 100.0 * notSucceeded / total;
    boolean finished = ledger.isFinished();
    boolean succeeded =
        finished
            && !ledger.cancelled()
            && notSucceeded * 100 <= (long) ledger.settings().toleratedFailurePercent() * total;
    return new RunReport(
        SCHEMA,
        ledger.run(),
        ledger.createdAt(),
        now,
        finished,
        ledger.cancelled(),
        succeeded,
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

  private static PairReport line(PairRecord record, int started, Duration ran, CostModel cost) {
    Map<String, Double> metrics = record.metrics();
    Map<String, Double> stageSeconds = new LinkedHashMap<>();
    for (Stage stage : Stage.values()) {
      Double ms = metrics.get(stage.wireName() + ".durationMs");
      if (ms != null) {
        stageSeconds.put(stage.wireName(), ms / 1000.0);
      }
    }
    OutputFacts output = record.output();
    long rows = output != null ? output.rows() : metric(metrics, "rows").longValue();
    int columns = output != null ? output.columns() : metric(metrics, "columns").intValue();
    long bytes = output != null ? output.bytes() : metric(metrics, "bytes").longValue();
    double tables = metric(metrics, "tables");
    double tablesPerMin = metric(metrics, "tablesPerMin");
    Double extractSeconds = stageSeconds.get(Stage.EXTRACT.wireName());
    if (tablesPerMin == 0 && tables > 0 && extractSeconds != null && extractSeconds > 0) {
      tablesPerMin = tables / (extractSeconds / 60.0);
    }
    double seconds = ran.toMillis() / 1000.0;
    return new PairReport(
        record.pair(),
        record.state(),
        Math.max(started, record.state() == PairState.QUEUED ? record.attempt() - 1 : 0),
        record.execution(),
        record.lastError(),
        output == null ? null : output.uri(),
        stageSeconds,
        rows,
        columns,
        bytes,
        tables,
        tablesPerMin,
        seconds,
        cost.cost(ran));
  }

  private static Double metric(Map<String, Double> metrics, String name) {
    return metrics.getOrDefault(name, 0.0);
  }

  /** Time each pair held a slot (STARTING until the attempt ended), over every attempt. */
  private static Map<Pair, Duration> slotTime(List<HistoryEntry> history, Instant now) {
    Map<Pair, Instant> since = new HashMap<>();
    Map<Pair, Duration> total = new HashMap<>();
    for (HistoryEntry entry : history) {
      if (entry.to() == PairState.STARTING) {
        since.put(entry.pair(), entry.at());
      } else if (entry.from() != null && entry.from().holdsSlot() && !entry.to().holdsSlot()) {
        Instant start = since.remove(entry.pair());
        if (start != null) {
          total.merge(entry.pair(), Duration.between(start, entry.at()), Duration::plus);
        }
      }
    }
    since.forEach((pair, start) -> total.merge(pair, Duration.between(start, now), Duration::plus));
    return total;
  }
}

package ml.bqx.core.report;

import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.pair.Pair;

/**
 * One pair's line in a run report.
 *
 * @param attempts attempts started (or the current attempt number when none ran)
 * @param stageSeconds duration per stage of the last finished attempt, from the job's metrics
 * @param executionSeconds measured time holding a slot, summed over every attempt
 * @param costUsd {@code executionSeconds} priced with the job's CPU and memory
 * @param timeline every attempt, in order, with its stages and figures
 */
public record PairReport(
    Pair pair,
    PairState state,
    int attempts,
    String execution,
    String lastError,
    String output,
    Map<String, Double> stageSeconds,
    long rows,
    int columns,
    long bytes,
    double tables,
    double tablesPerMin,
    double executionSeconds,
    double costUsd,
    List<AttemptReport> timeline) {
  public PairReport {
    timeline = timeline == null ? List.of() : List.copyOf(timeline);
  }
}

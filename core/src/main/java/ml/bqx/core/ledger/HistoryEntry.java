package ml.bqx.core.ledger;

import java.time.Instant;
import java.util.Map;
import ml.bqx.core.pair.Pair;

/**
 * One applied transition, kept forever in the ledger: the run's audit trail and timeline.
 *
 * @param metrics on the transition that ends an attempt, what the attempt measured (the job's
 *     terminal event: stage durations, tables, tables/min, rows, columns, bytes); otherwise null
 */
public record HistoryEntry(
    Instant at,
    Pair pair,
    int attempt,
    PairState from,
    PairState to,
    String reason,
    Map<String, Double> metrics) {
  public HistoryEntry {
    metrics = metrics == null || metrics.isEmpty() ? null : Map.copyOf(metrics);
  }

  public HistoryEntry(
      Instant at, Pair pair, int attempt, PairState from, PairState to, String reason) {
    this(at, pair, attempt, from, to, reason, null);
  }

  /** The attempt's figures, empty when the transition carries none. */
  public Map<String, Double> figures() {
    return metrics == null ? Map.of() : metrics;
  }
}

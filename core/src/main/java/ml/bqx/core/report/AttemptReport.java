package ml.bqx.core.report;

import java.time.Instant;
import java.util.List;
import ml.bqx.core.ledger.PairState;

/**
 * One attempt of one pair in a run report: from taking a slot to leaving it, how it ended, its
 * stages and the figures its job measured.
 *
 * @param end null while the attempt runs
 * @param outcome the state the attempt left the pair in (QUEUED: failed and retried), null while it
 *     runs
 * @param reason why it failed, from the ledger's history
 * @param seconds time it held a slot (to the report's time while it runs)
 * @param costUsd {@code seconds} priced with the job's CPU and memory
 */
public record AttemptReport(
    int attempt,
    Instant start,
    Instant end,
    PairState outcome,
    boolean failed,
    String reason,
    List<StageTime> stages,
    double tables,
    double tablesPerMin,
    long rows,
    int columns,
    long bytes,
    double seconds,
    double costUsd) {
  public AttemptReport {
    stages = stages == null ? List.of() : List.copyOf(stages);
  }
}

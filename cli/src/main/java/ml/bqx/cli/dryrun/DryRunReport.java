package ml.bqx.cli.dryrun;

import java.util.List;

/**
 * What a run would do, found without starting or writing anything: per pair its tables, bytes, time
 * and cost; for the run its caps and expected wall time. {@code --json} prints this.
 *
 * @param slots pairs at once: the run's cap, bounded by the project's and the number of pairs
 * @param wallSeconds expected time from the first launch to the last pair's end, the pairs taking
 *     free slots in order
 */
public record DryRunReport(
    String schema,
    String warehouse,
    boolean local,
    int maxConcurrent,
    int projectMaxConcurrent,
    int slots,
    int maxAttempts,
    ReadRate rate,
    List<PairEstimate> pairs,
    long bytes,
    double jobSeconds,
    double wallSeconds,
    double vcpuSeconds,
    double gibSeconds,
    double cloudRunUsd,
    double storageReadUsd,
    double usd) {
  public static final String SCHEMA = "bqx.dry-run/1";

  public DryRunReport {
    pairs = List.copyOf(pairs);
  }

  /** True when some pair would fail at discovery (no targets table, no tables at all). */
  public boolean hasProblems() {
    return pairs.stream().anyMatch(p -> p.problem() != null);
  }
}

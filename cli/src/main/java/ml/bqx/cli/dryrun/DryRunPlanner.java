package ml.bqx.cli.dryrun;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.port.TableSize;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.report.CostModel;

/** Turns the tables of each pair into the dry run's estimates of time and cost. */
public final class DryRunPlanner {
  private static final double TIB = 1024.0 * 1024 * 1024 * 1024;

  private final CostModel cost;
  private final double usdPerTibRead;
  private final ReadRate rate;

  public DryRunPlanner(CostModel cost, double usdPerTibRead, ReadRate rate) {
    this.cost = cost;
    this.usdPerTibRead = usdPerTibRead;
    this.rate = rate;
  }

  /** The job's size and prices of this configuration, and this read rate. */
  public static DryRunPlanner of(BqxConfig config, ReadRate rate) {
    return new DryRunPlanner(
        CostModel.from(config), config.doubleValue(EnvKey.BQX_PRICE_READ_TIB), rate);
  }

  /**
   * The report of a run of these pairs.
   *
   * @param billsReads whether reads are billed (BigQuery's Storage Read API; not a local DuckDB)
   */
  public DryRunReport plan(
      String warehouse,
      boolean local,
      boolean billsReads,
      List<PairTables> pairs,
      RunSettings settings,
      int projectMaxConcurrent) {
    List<PairEstimate> estimates = new ArrayList<>();
    for (PairTables tables : pairs) {
      estimates.add(estimate(tables, billsReads));
    }
    int slots =
        Math.max(
            1, Math.min(pairs.size(), Math.min(settings.maxConcurrent(), projectMaxConcurrent)));
    return new DryRunReport(
        DryRunReport.SCHEMA,
        warehouse,
        local,
        settings.maxConcurrent(),
        projectMaxConcurrent,
        slots,
        settings.maxAttempts(),
        rate,
        estimates,
        estimates.stream().mapToLong(PairEstimate::bytes).sum(),
        estimates.stream().mapToDouble(PairEstimate::seconds).sum(),
        wallSeconds(estimates.stream().map(PairEstimate::seconds).toList(), slots),
        estimates.stream().mapToDouble(PairEstimate::vcpuSeconds).sum(),
        estimates.stream().mapToDouble(PairEstimate::gibSeconds).sum(),
        estimates.stream().mapToDouble(PairEstimate::cloudRunUsd).sum(),
        estimates.stream().mapToDouble(PairEstimate::storageReadUsd).sum(),
        estimates.stream().mapToDouble(p -> p.cloudRunUsd() + p.storageReadUsd()).sum());
  }

  private PairEstimate estimate(PairTables tables, boolean billsReads) {
    String targets = WarehouseLayout.targetsTable(tables.pair());
    long rows =
        tables.tables().stream()
            .filter(t -> t.table().equals(targets))
            .mapToLong(TableSize::rows)
            .sum();
    boolean hasTargets = tables.tables().stream().anyMatch(t -> t.table().equals(targets));
    String problem =
        hasTargets
            ? null
            : tables.tables().isEmpty()
                ? "no tables named *_" + tables.pair() + " in the warehouse"
                : "no targets table " + targets + ": the job would fail at discovery";
    long bytes = hasTargets ? tables.tables().stream().mapToLong(TableSize::bytes).sum() : 0;
    double seconds = hasTargets ? bytes / rate.bytesPerSecond() : 0;
    return new PairEstimate(
        tables.pair().name(),
        tables.tables().size(),
        rows,
        bytes,
        seconds,
        seconds * cost.cpus(),
        seconds * cost.memoryGib(),
        cost.usd(seconds),
        billsReads ? bytes / TIB * usdPerTibRead : 0,
        tables.note(),
        problem);
  }

  /** The pairs, in order, each taking the slot that frees first: when the last one ends. */
  static double wallSeconds(List<Double> seconds, int slots) {
    PriorityQueue<Double> freeAt = new PriorityQueue<>();
    for (int i = 0; i < slots; i++) {
      freeAt.add(0.0);
    }
    double end = 0;
    for (double job : seconds) {
      double done = freeAt.remove() + job;
      freeAt.add(done);
      end = Math.max(end, done);
    }
    return end;
  }
}

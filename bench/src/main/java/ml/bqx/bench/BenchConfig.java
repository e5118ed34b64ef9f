package ml.bqx.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What one bench measures: the seeded warehouse's size, the extraction's concurrency levels and
 * table count, the merge's table counts, repeats and the children's heap.
 *
 * @param seedTables feature tables seeded for the pair (the targets table comes on top)
 * @param extractTables feature tables each extraction run reads (a rate needs no more)
 * @param mergeTables feature-table counts the merge and the floor are measured at
 * @param rerunChanged feature tables changed before the whole job runs again over the first run's
 *     checkpoint cache (0: no re-run)
 * @param onlyJob measure the whole job (and its re-run) only, not extraction and merge apart
 * @param cloud with {@code --cloud}: the simulated Google Cloud to measure against; else null
 */
public record BenchConfig(
    Path workdir,
    Path out,
    int repeat,
    int jobRepeat,
    List<Integer> concurrency,
    int extractTables,
    List<Integer> mergeTables,
    int seedTables,
    int rows,
    int columns,
    int rowGroupRows,
    String xmx,
    int jobConcurrency,
    int rerunChanged,
    boolean onlyJob,
    CloudBenchConfig cloud) {
  public BenchConfig {
    concurrency = List.copyOf(concurrency);
    mergeTables = List.copyOf(mergeTables);
  }

  /** The seed-scale configuration the guide's figures are compared with. */
  public static BenchConfig full(Path workdir, Path out) {
    return new BenchConfig(
        workdir,
        out,
        3,
        3,
        List.of(1, 2, 4, 8, 16),
        60,
        List.of(50, 100, 200, 400, 668),
        668,
        100_800,
        16,
        100_000,
        "1g",
        8,
        10,
        false,
        null);
  }

  /** A small configuration that still produces every figure, in well under two minutes. */
  public static BenchConfig quick(Path workdir, Path out) {
    return new BenchConfig(
        workdir,
        out,
        1,
        1,
        List.of(1, 2),
        8,
        List.of(3, 8),
        8,
        2_400,
        4,
        1_000,
        "256m",
        2,
        2,
        false,
        null);
  }

  /** The line that is wrong with this configuration, or null when it can run. */
  public String problem() {
    if (repeat < 1 || jobRepeat < 1) {
      return "--repeat and --job-repeat must be 1 or more";
    }
    if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1 || c > 256)) {
      return "--concurrency needs levels between 1 and 256, got " + concurrency;
    }
    if (seedTables < 1 || rows < 1 || columns < 1 || rowGroupRows < 1) {
      return "--seed-tables, --rows, --columns and --row-group-rows must be 1 or more";
    }
    if (extractTables < 1 || extractTables > seedTables) {
      return "--extract-tables must be between 1 and --seed-tables (" + seedTables + ")";
    }
    if (mergeTables.isEmpty()
        || mergeTables.stream().anyMatch(t -> t < 1 || t > seedTables)
        || !mergeTables.equals(mergeTables.stream().sorted().distinct().toList())) {
      return "--merge-tables needs increasing counts between 1 and --seed-tables ("
          + seedTables
          + "), got "
          + mergeTables;
    }
    if (!xmx.matches("[1-9][0-9]*[kKmMgG]?")) {
      return "--xmx must look like 512m or 1g, got '" + xmx + "'";
    }
    if (jobConcurrency < 1) {
      return "--job-concurrency must be 1 or more";
    }
    if (rerunChanged < 0 || rerunChanged > seedTables) {
      return "--rerun-changed must be between 0 and --seed-tables (" + seedTables + ")";
    }
    return cloud == null ? null : cloud.problem();
  }

  /** The seeded warehouse's file, named by its size so a different size never reuses it. */
  Path warehouseFile() {
    return workdir.resolve(
        "warehouse-eurusd-" + seedTables + "t-" + rows + "r-" + columns + "c-s42.duckdb");
  }

  /** Where the merge's prepared checkpoints live, reused by later benches of the same size. */
  Path checkpointsDir() {
    return workdir.resolve(
        "checkpoints-" + seedTables + "t-" + rows + "r-" + columns + "c-rg" + rowGroupRows);
  }
}

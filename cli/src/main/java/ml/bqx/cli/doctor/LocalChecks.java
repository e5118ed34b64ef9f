package ml.bqx.cli.doctor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.TableSize;
import ml.bqx.core.port.Warehouse;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.SeededWarehouse;
import ml.bqx.local.warehouse.WarehouseSeeder;

/** The checks of a local run: its Java, its workdir, its disk and its warehouse's tables. */
final class LocalChecks {
  private LocalChecks() {}

  static List<CheckResult> run(
      LocalWorkdir workdir,
      List<Pair> pairs,
      SeedScale scale,
      int maxConcurrent,
      Path javaHome,
      BqxConfig config) {
    List<CheckResult> results = new ArrayList<>();
    results.addAll(Doctor.attempt("java", new JavaCheck(javaHome)));
    results.addAll(Doctor.attempt("workdir", new WorkdirCheck(workdir.root())));
    if (!results.get(results.size() - 1).ok()) {
      return results; // no disk nor warehouse to look at
    }
    String name = scale.name().toLowerCase(Locale.ROOT);
    SeededWarehouse seeded = new SeededWarehouse(workdir.warehouseFile());
    List<Pair> toSeed;
    try {
      toSeed = seeded.missing(name, pairs);
    } catch (IOException e) {
      results.add(
          CheckResult.fail(
              "warehouse", "cannot read " + workdir.warehouseFile() + ": " + e.getMessage(), "-"));
      return results;
    }
    long perPair = bytes(scale, pairs.get(0));
    results.addAll(
        Doctor.attempt(
            "disk",
            new DiskCheck(
                workdir.root(), perPair * toSeed.size(), perPair, pairs.size(), maxConcurrent)));
    for (Pair pair : toSeed) {
      results.add(
          CheckResult.ok(
              "warehouse " + pair,
              "not in " + workdir.warehouseFile() + " yet: bqx local run seeds it (" + name + ")"));
    }
    List<Pair> present = pairs.stream().filter(p -> !toSeed.contains(p)).toList();
    if (!present.isEmpty()) {
      results.addAll(warehouseTables(workdir, present, config));
    }
    return results;
  }

  private static List<CheckResult> warehouseTables(
      LocalWorkdir workdir, List<Pair> pairs, BqxConfig config) {
    try (Warehouse warehouse = Adapters.warehouse(workdir.warehouseUri(), config)) {
      return Doctor.attempt(
          "warehouse",
          new WarehouseTablesCheck(
              warehouse,
              workdir.warehouseFile().toString(),
              pairs,
              "seed it again: bqx warehouse seed --pairs {pair} --out " + workdir.warehouseFile()));
    } catch (IOException e) {
      return List.of(
          CheckResult.fail(
              "warehouse",
              "cannot open " + workdir.warehouseFile() + ": " + e.getMessage(),
              "delete " + workdir.warehouseFile() + " and its .seeded marker: the run seeds it"));
    }
  }

  /** Logical bytes a seeded pair of this scale holds. */
  private static long bytes(SeedScale scale, Pair pair) {
    return WarehouseSeeder.plannedSizes(SeedSpec.of(scale, List.of(pair), 0), pair).stream()
        .mapToLong(TableSize::bytes)
        .sum();
  }
}

package ml.bqx.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.dryrun.DryRunPlanner;
import ml.bqx.cli.dryrun.DryRunReport;
import ml.bqx.cli.dryrun.PairTables;
import ml.bqx.cli.dryrun.ReadRate;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.cli.target.Target;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.report.CostModel;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.SeededWarehouse;
import ml.bqx.local.warehouse.WarehouseSeeder;

/**
 * {@code bqx local run --dry-run}: the workdir's warehouse as it is (DuckDB's own statistics,
 * opened read-only), the sizes a seed would write for the pairs it lacks, and rates from the
 * workdir's newest finished run. Nothing is seeded, started or written; a missing workdir stays
 * missing.
 */
final class LocalDryRun {
  private LocalDryRun() {}

  static DryRunReport plan(CliContext context, LocalRunSpec spec) throws IOException {
    LocalWorkdir workdir = spec.workdir();
    Target target = Target.ofWorkdir(workdir, context.env());
    BqxConfig config = target.config();
    // A workdir without a staging folder has no runs: not listing it keeps it absent.
    List<RunLedger> runs = Files.isDirectory(workdir.stagingDir()) ? target.runs() : List.of();
    ReadRate rate = ReadRate.of(runs, CostModel.from(config), context.clock().instant());
    SeededWarehouse seeded = new SeededWarehouse(workdir.warehouseFile());
    List<Pair> toSeed = seeded.missing(spec.warehouseName(), spec.pairs());
    List<PairTables> tables = new ArrayList<>();
    Warehouse warehouse =
        toSeed.size() < spec.pairs().size()
            ? Adapters.warehouse(workdir.warehouseUri(), config)
            : null;
    try {
      for (Pair pair : spec.pairs()) {
        if (toSeed.contains(pair)) {
          SeedSpec seed =
              new SeedSpec(List.of(pair), spec.tables(), spec.rows(), spec.scale().columns(), 0);
          tables.add(
              new PairTables(
                  pair,
                  WarehouseSeeder.plannedSizes(seed, pair),
                  "to be seeded first: " + spec.warehouseName()));
        } else {
          tables.add(new PairTables(pair, warehouse.sizes(pair), null));
        }
      }
    } finally {
      if (warehouse != null) {
        warehouse.close();
      }
    }
    return DryRunPlanner.of(config, rate)
        .plan(
            workdir.warehouseUri().toString(),
            true,
            false,
            tables,
            spec.settings(),
            config.positiveInt(EnvKey.BQX_PROJECT_MAX_CONCURRENT));
  }
}

package ml.bqx.cli.command;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedReport;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.SeededWarehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bqx warehouse seed}: writes a deterministic synthetic warehouse into a DuckDB file. */
@Command(
    name = "seed",
    mixinStandardHelpOptions = true,
    description = "Seeds a synthetic warehouse (per pair: targets + feature tables) into DuckDB.")
public final class WarehouseSeedCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin PairSelection selection;

  @Option(
      names = "--scale",
      paramLabel = "tiny|small|seed",
      defaultValue = "small",
      description = "Preset size (default: ${DEFAULT-VALUE}); seed = 668 tables, >100K rows.")
  String scale;

  @Option(names = "--tables", paramLabel = "N", description = "Feature tables per pair.")
  Integer tables;

  @Option(names = "--rows", paramLabel = "N", description = "Rows per table.")
  Integer rows;

  @Option(names = "--columns", paramLabel = "N", description = "Columns per feature table.")
  Integer columns;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed.")
  long seed;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "DuckDB file (default: .bqx/warehouse.duckdb).")
  Path out;

  WarehouseSeedCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    SeedScale preset = SeedScale.parse(scale);
    SeedSpec spec =
        new SeedSpec(
            selection.pairs(),
            tables != null ? tables : preset.tables(),
            rows != null ? rows : preset.rows(),
            columns != null ? columns : preset.columns(),
            seed);
    Path file =
        out != null
            ? context.cwd().resolve(out)
            : new LocalWorkdir(context.cwd().resolve(".bqx")).warehouseFile();
    SeedReport report =
        new SeededWarehouse(file)
            .seed(
                spec,
                SeedProgress.everyTenth(
                    line -> {
                      context.out().println("  " + line);
                      context.out().flush();
                    }));
    context
        .out()
        .printf(
            Locale.ROOT,
            "seeded %s: %d pairs, %d tables, %,d rows each, in %.1f s%n",
            report.file(),
            report.pairs(),
            report.tables(),
            report.rowsPerPair(),
            report.durationMs() / 1000.0);
    return 0;
  }
}

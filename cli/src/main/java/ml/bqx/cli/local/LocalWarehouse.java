package ml.bqx.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import ml.bqx.cli.context.CliContext;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.SeededWarehouse;

/**
 * The warehouse of a local run: seeded with the pairs it misses, or, for a resumed run, the one the
 * run started with, as it is: its jobs may still be reading it (a seed would need its write lock),
 * and its pairs are the ledger's, not the flags'.
 */
final class LocalWarehouse {
  private static final long SEED = 42;

  private final CliContext context;

  LocalWarehouse(CliContext context) {
    this.context = context;
  }

  /** The spec with the warehouse the run goes on with, seeded first when it is a new run. */
  LocalRunSpec ready(LocalRunSpec spec) throws IOException {
    SeededWarehouse warehouse = new SeededWarehouse(spec.workdir().warehouseFile());
    if (spec.resume()) {
      String name =
          warehouse
              .name()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no warehouse to resume run '"
                              + spec.run()
                              + "' with in "
                              + spec.workdir().root()));
      return spec.withWarehouse(name);
    }
    Files.createDirectories(spec.workdir().root());
    String wanted = spec.warehouseName();
    List<Pair> pairs = warehouse.missing(wanted, spec.pairs());
    if (!pairs.isEmpty()) {
      context
          .out()
          .println(
              "seeding the "
                  + wanted
                  + " warehouse for "
                  + pairs.size()
                  + " pairs: "
                  + warehouse.file());
      warehouse.add(
          wanted,
          new SeedSpec(pairs, spec.tables(), spec.rows(), spec.scale().columns(), SEED),
          SeedProgress.everyTenth(
              line -> {
                context.out().println("  " + line);
                context.out().flush();
              }));
    }
    return spec;
  }
}

package ml.bqx.cli.local;

import java.util.List;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.warehouse.SeedScale;

/**
 * What a local run does: its workdir, run id, pairs, settings and warehouse scale.
 *
 * @param seedTables feature tables per pair when seeding, or 0 for the scale's
 * @param seedRows rows per table when seeding, or 0 for the scale's
 */
record LocalRunSpec(
    LocalWorkdir workdir,
    RunId run,
    boolean resume,
    List<Pair> pairs,
    RunSettings settings,
    SeedScale scale,
    int seedTables,
    int seedRows) {
  LocalRunSpec(
      LocalWorkdir workdir,
      RunId run,
      boolean resume,
      List<Pair> pairs,
      RunSettings settings,
      SeedScale scale) {
    this(workdir, run, resume, pairs, settings, scale, 0, 0);
  }

  int tables() {
    return seedTables > 0 ? seedTables : scale.tables();
  }

  int rows() {
    return seedRows > 0 ? seedRows : scale.rows();
  }

  /**
   * This spec with the warehouse a marker line names ({@code tiny} or {@code tiny:12x480}): a
   * resumed run goes on with the warehouse and minimums it was started with.
   */
  LocalRunSpec withWarehouse(String name) {
    String[] parts = name.trim().split(":", 2);
    SeedScale named = SeedScale.parse(parts[0]);
    if (parts.length == 1) {
      return new LocalRunSpec(workdir, run, resume, pairs, settings, named, 0, 0);
    }
    String[] size = parts[1].split("x", 2);
    if (size.length != 2) {
      throw new IllegalArgumentException("'" + name + "' is not a warehouse name like tiny:12x480");
    }
    return new LocalRunSpec(
        workdir,
        run,
        resume,
        pairs,
        settings,
        named,
        Integer.parseInt(size[0]),
        Integer.parseInt(size[1]));
  }

  /** The warehouse this run wants, as the seed marker records it. */
  String warehouseName() {
    String name = scale.name().toLowerCase(java.util.Locale.ROOT);
    return seedTables > 0 || seedRows > 0 ? name + ":" + tables() + "x" + rows() : name;
  }
}

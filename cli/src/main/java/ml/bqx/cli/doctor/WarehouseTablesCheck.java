package ml.bqx.cli.doctor;

import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.port.WarehouseTable;

/**
 * The warehouse has, for each pair, its targets table and at least one feature table, found by the
 * same discovery the job runs: a line per pair.
 */
final class WarehouseTablesCheck implements Check {
  private final Warehouse warehouse;
  private final String where;
  private final List<Pair> pairs;
  private final String fix;

  /**
   * @param fix what to do when a pair's tables are missing (seed them, load them)
   */
  WarehouseTablesCheck(Warehouse warehouse, String where, List<Pair> pairs, String fix) {
    this.warehouse = warehouse;
    this.where = where;
    this.pairs = pairs;
    this.fix = fix;
  }

  @Override
  public List<CheckResult> run() throws Exception {
    List<CheckResult> results = new ArrayList<>();
    for (Pair pair : pairs) {
      List<WarehouseTable> tables = warehouse.discover(pair);
      String targets = WarehouseLayout.targetsTable(pair);
      long features = tables.stream().filter(t -> !t.name().equals(targets)).count();
      boolean hasTargets = tables.stream().anyMatch(t -> t.name().equals(targets));
      String check = "warehouse " + pair;
      if (!hasTargets) {
        results.add(
            CheckResult.fail(check, "no targets table " + targets + " in " + where, fix(pair)));
      } else if (features == 0) {
        results.add(
            CheckResult.fail(
                check, "no feature table named *_" + pair + " in " + where, fix(pair)));
      } else {
        results.add(CheckResult.ok(check, targets + " and " + features + " feature tables"));
      }
    }
    return results;
  }

  private String fix(Pair pair) {
    return fix.replace("{pair}", pair.name());
  }
}

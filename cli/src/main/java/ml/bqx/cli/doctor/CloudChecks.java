package ml.bqx.cli.doctor;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.cli.dryrun.CloudDryRun;
import ml.bqx.cli.target.Target;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.Warehouse;

/** The checks of the cloud deployment a run would use. */
final class CloudChecks {
  private CloudChecks() {}

  static List<CheckResult> run(Target target, List<Pair> pairs) {
    List<CheckResult> results = new ArrayList<>();
    URI uri;
    try {
      uri = CloudDryRun.warehouse(target, null);
    } catch (IllegalArgumentException notSet) {
      results.add(
          CheckResult.fail(
              "warehouse",
              notSet.getMessage(),
              "set BQX_WAREHOUSE=bigquery://PROJECT/DATASET, or BQX_PROJECT (--project)"));
      return results;
    }
    try (Warehouse warehouse = Adapters.warehouse(uri, target.config())) {
      results.addAll(
          Doctor.attempt(
              "warehouse",
              new WarehouseTablesCheck(
                  warehouse,
                  uri.toString(),
                  pairs,
                  "load the pair's tables (targets_{pair} and its *_{pair} feature tables) into "
                      + uri)));
    } catch (Exception e) {
      results.add(
          CheckResult.fail(
              "warehouse",
              "cannot open " + uri + ": " + e.getMessage(),
              "set BQX_WAREHOUSE to a warehouse this machine can reach"));
    }
    return results;
  }
}

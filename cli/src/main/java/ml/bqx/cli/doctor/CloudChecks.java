package ml.bqx.cli.doctor;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.bqx.cli.dryrun.CloudDryRun;
import ml.bqx.cli.target.Target;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.gcp.doctor.CloudDeployment;

/** The checks of the cloud deployment a run would use. */
final class CloudChecks {
  private CloudChecks() {}

  static List<CheckResult> run(Target target, List<Pair> pairs) {
    BqxConfig config = target.config();
    if (config.get(EnvKey.BQX_PROJECT).isBlank()) {
      return List.of(
          CheckResult.fail(
              "project",
              "BQX_PROJECT is not set",
              "set BQX_PROJECT or --project (or --workdir DIR for a local run's checks)"));
    }
    try (CloudDeployment deployment =
        CloudDeployment.connect(
            config.get(EnvKey.BQX_PROJECT),
            config.get(EnvKey.BQX_REGION),
            config.get(EnvKey.BQX_DOCTOR_GRPC_ENDPOINT),
            config.get(EnvKey.BQX_DOCTOR_HTTP_ENDPOINT))) {
      return run(config, pairs, deployment);
    } catch (IOException e) {
      return List.of(
          CheckResult.fail(
              "credentials",
              "cannot reach Google Cloud: " + e.getMessage(),
              "gcloud auth application-default login"));
    } catch (IllegalArgumentException e) {
      return List.of(
          CheckResult.fail(
              "endpoints",
              e.getMessage(),
              "set BQX_DOCTOR_GRPC_ENDPOINT and BQX_DOCTOR_HTTP_ENDPOINT together, or neither"));
    }
  }

  /** The checks, reading the deployment through these clients. */
  static List<CheckResult> run(BqxConfig config, List<Pair> pairs, CloudDeployment deployment) {
    String project = config.get(EnvKey.BQX_PROJECT);
    List<CheckResult> results = new ArrayList<>();
    results.addAll(Doctor.attempt("apis", new ApisCheck(deployment, project)));
    results.addAll(Doctor.attempt("job image", new JobImageCheck(deployment)));
    results.addAll(Doctor.attempt("functions", new FunctionsCheck(deployment)));
    results.addAll(Doctor.attempt("subscriptions", new PushSubscriptionsCheck(deployment)));
    results.addAll(
        Doctor.attempt(
            "iam",
            new IamPermissionsCheck(
                deployment,
                project,
                config.get(EnvKey.BQX_REGION),
                Map.of(
                    RequiredPermissions.RECORDED_STAGING, bucket(config, EnvKey.BQX_STAGING),
                    RequiredPermissions.RECORDED_OUTPUT, bucket(config, EnvKey.BQX_OUTPUT)),
                WarehouseLayout.targetsTable(pairs.get(0)))));
    URI uri;
    try {
      uri = CloudDryRun.warehouse(config, null);
    } catch (IllegalArgumentException notSet) {
      results.add(
          CheckResult.fail(
              "warehouse",
              notSet.getMessage(),
              "set BQX_WAREHOUSE=bigquery://PROJECT/DATASET, or BQX_PROJECT (--project)"));
      return results;
    }
    try (Warehouse warehouse = Adapters.warehouse(uri, config)) {
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

  /** {@code buckets/NAME} of a gs:// setting, or empty when it names no bucket. */
  private static String bucket(BqxConfig config, EnvKey key) {
    URI uri = URI.create(config.get(key).isBlank() ? "unset:/" : config.get(key));
    return "gs".equals(uri.getScheme()) && uri.getAuthority() != null
        ? "buckets/" + uri.getAuthority()
        : "";
  }
}

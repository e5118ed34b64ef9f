package ml.bqx.cli.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import ml.bqx.gcp.doctor.CloudDeployment;

/**
 * Each service account holds, on each resource its code calls, the permissions that code needs
 * ({@link RequiredPermissions}): testIamPermissions on the resource, called as that account. A line
 * per account and resource. The operator's needs are tested as the caller.
 *
 * <p>BigQuery has testIamPermissions on tables, routines and row access policies, none on a dataset
 * (cloud.google.com/bigquery/docs/reference/rest/v2/tables/testIamPermissions): the dataset's
 * grants are tested on a table of it, the targets table of the first pair, which inherits them.
 * {@code bigquery.tables.list} is a permission on the dataset alone, so no table can test it.
 */
final class IamPermissionsCheck implements Check {
  private static final String OPERATOR = "operator";
  private static final Set<String> DATASET_ONLY = Set.of("bigquery.tables.list");
  private static final String FIX =
      "apply terraform/iam.tf again (terraform/deploy.sh), which grants them";

  private final CloudDeployment deployment;
  private final String project;
  private final String region;
  private final Map<String, String> buckets;
  private final String datasetTable;

  /**
   * @param buckets the deployment's bucket ({@code buckets/NAME}) of each recorded one; empty when
   *     its setting names no gs:// bucket
   * @param datasetTable the table whose permissions stand for the dataset's
   */
  IamPermissionsCheck(
      CloudDeployment deployment,
      String project,
      String region,
      Map<String, String> buckets,
      String datasetTable) {
    this.deployment = deployment;
    this.project = project;
    this.region = region;
    this.buckets = buckets;
    this.datasetTable = datasetTable;
  }

  @Override
  public List<CheckResult> run() throws Exception {
    List<CheckResult> results = new ArrayList<>();
    boolean bucketsUnset = false;
    for (RequiredPermissions.Need need : RequiredPermissions.of(project, region, buckets)) {
      if (need.resource().isEmpty()) {
        if (!bucketsUnset) {
          results.add(
              CheckResult.fail(
                  "iam on buckets",
                  "BQX_STAGING or BQX_OUTPUT names no gs:// bucket",
                  "set BQX_STAGING=gs://BUCKET and BQX_OUTPUT=gs://BUCKET (terraform output)"));
        }
        bucketsUnset = true;
        continue;
      }
      results.add(check(need));
    }
    return results;
  }

  private CheckResult check(RequiredPermissions.Need need) throws Exception {
    String resource = need.resource();
    Set<String> tested = new TreeSet<>(need.permissions());
    String untested = "";
    if (resource.matches("projects/[^/]+/datasets/[^/]+")) {
      resource = resource + "/tables/" + datasetTable;
      tested.removeAll(DATASET_ONLY);
      Set<String> dataset = new TreeSet<>(need.permissions());
      dataset.retainAll(DATASET_ONLY);
      untested =
          dataset.isEmpty()
              ? ""
              : " (on its table " + datasetTable + "; " + String.join(", ", dataset) + " untested)";
    }
    String account =
        need.component().equals(OPERATOR)
            ? null
            : "bqx-" + need.component() + "@" + project + ".iam.gserviceaccount.com";
    Set<String> missing = new TreeSet<>(tested);
    missing.removeAll(deployment.permissions(account, resource, tested));
    String who = account == null ? "you (operator)" : account;
    String check = "iam " + need.component() + " on " + need.resource();
    return missing.isEmpty()
        ? CheckResult.ok(check, who + " holds " + String.join(", ", tested) + untested)
        : CheckResult.fail(check, who + " lacks " + String.join(", ", missing), FIX);
  }
}

package ml.bqx.cli.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import ml.bqx.gcp.doctor.CloudDeployment;

/**
 * Each service account holds, on each topic and on the job, the permissions its code needs ({@link
 * RequiredPermissions}): testIamPermissions on the resource, called as that account. A line per
 * account and resource. The operator's needs are tested as the caller.
 */
final class IamPermissionsCheck implements Check {
  private static final String OPERATOR = "operator";

  private final CloudDeployment deployment;
  private final String project;
  private final String region;

  IamPermissionsCheck(CloudDeployment deployment, String project, String region) {
    this.deployment = deployment;
    this.project = project;
    this.region = region;
  }

  @Override
  public List<CheckResult> run() throws Exception {
    List<CheckResult> results = new ArrayList<>();
    for (RequiredPermissions.Need need : RequiredPermissions.of(project, region)) {
      if (!CloudDeployment.testsPermissionsOn(need.resource())) {
        continue; // buckets, the dataset and the project: not tested here yet
      }
      String account =
          need.component().equals(OPERATOR)
              ? null
              : "bqx-" + need.component() + "@" + project + ".iam.gserviceaccount.com";
      Set<String> missing = new TreeSet<>(need.permissions());
      missing.removeAll(deployment.permissions(account, need.resource(), need.permissions()));
      String who = account == null ? "you (operator)" : account;
      String check = "iam " + need.component() + " on " + need.resource();
      results.add(
          missing.isEmpty()
              ? CheckResult.ok(check, who + " holds " + String.join(", ", need.permissions()))
              : CheckResult.fail(
                  check,
                  who + " lacks " + String.join(", ", missing),
                  "apply terraform/iam.tf again (terraform/deploy.sh), which grants them"));
    }
    return results;
  }
}

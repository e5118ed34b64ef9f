package ml.bqx.cli.doctor;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import ml.bqx.core.config.Deployment;
import ml.bqx.gcp.doctor.CloudDeployment;

/** Every API the deployment calls (Deployment.APIS, which terraform/apis.tf enables) is enabled. */
final class ApisCheck implements Check {
  private final CloudDeployment deployment;
  private final String project;

  ApisCheck(CloudDeployment deployment, String project) {
    this.deployment = deployment;
    this.project = project;
  }

  @Override
  public List<CheckResult> run() {
    Set<String> missing = new TreeSet<>(Deployment.APIS);
    missing.removeAll(deployment.enabledApis());
    if (missing.isEmpty()) {
      return List.of(
          CheckResult.ok("apis", "all " + Deployment.APIS.size() + " APIs enabled on " + project));
    }
    return List.of(
        CheckResult.fail(
            "apis",
            "not enabled on " + project + ": " + String.join(", ", missing),
            "gcloud services enable "
                + String.join(" ", missing)
                + " --project "
                + project
                + " (or terraform/deploy.sh, whose apis.tf enables them)"));
  }
}

package ml.bqx.cli.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import ml.bqx.core.config.Deployment;
import ml.bqx.gcp.doctor.CloudDeployment;

/**
 * Each function is deployed and serving: Cloud Functions v2 answers its state ACTIVE ("successfully
 * deployed and is serving"; FAILED, DEPLOYING, DELETING and UNKNOWN are not). A line per function.
 */
final class FunctionsCheck implements Check {
  private final CloudDeployment deployment;

  FunctionsCheck(CloudDeployment deployment) {
    this.deployment = deployment;
  }

  @Override
  public List<CheckResult> run() {
    List<CheckResult> results = new ArrayList<>();
    for (Deployment.Function function : Deployment.FUNCTIONS) {
      String check = "function " + function.name();
      Optional<String> state = deployment.functionState(function.name());
      if (state.isEmpty()) {
        results.add(
            CheckResult.fail(
                check,
                "not deployed in the project's region",
                "deploy it: terraform/deploy.sh (terraform/functions.tf)"));
      } else if (!state.get().equals("ACTIVE")) {
        results.add(
            CheckResult.fail(
                check,
                "state " + state.get() + ", not serving",
                "see its build and deploy logs (gcloud functions describe "
                    + function.name()
                    + " --gen2), then terraform/deploy.sh again"));
      } else {
        results.add(CheckResult.ok(check, "ACTIVE"));
      }
    }
    return results;
  }
}

package ml.bqx.cli.doctor;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import ml.bqx.core.config.Deployment;
import ml.bqx.gcp.doctor.CloudDeployment;

/**
 * The job exists and runs a pinned image: a digest ({@code @sha256:...}) or a tag of its own, not
 * {@code :latest} nor no tag (which means latest): a moving tag lets a retry run other code than
 * the attempt it retries.
 */
final class JobImageCheck implements Check {
  private static final Pattern DIGEST = Pattern.compile(".+@sha256:[0-9a-f]{64}");
  private static final String FIX =
      "deploy an image tagged by its build (terraform/deploy.sh tags each build) or by digest";

  private final CloudDeployment deployment;

  JobImageCheck(CloudDeployment deployment) {
    this.deployment = deployment;
  }

  @Override
  public List<CheckResult> run() {
    Optional<String> image = deployment.jobImage(Deployment.JOB_NAME);
    if (image.isEmpty()) {
      return List.of(
          CheckResult.fail(
              "job image",
              "no Cloud Run job " + Deployment.JOB_NAME + " in the project's region",
              "deploy it: terraform/deploy.sh"));
    }
    return List.of(verdict(image.get()));
  }

  static CheckResult verdict(String image) {
    if (DIGEST.matcher(image).matches()) {
      return CheckResult.ok("job image", image + " (pinned by digest)");
    }
    String last = image.substring(image.lastIndexOf('/') + 1);
    int colon = last.lastIndexOf(':');
    if (colon < 0) {
      return CheckResult.fail("job image", image + " has no tag, which means :latest", FIX);
    }
    String tag = last.substring(colon + 1);
    if (tag.equals("latest")) {
      return CheckResult.fail("job image", image + " is the moving tag :latest", FIX);
    }
    return CheckResult.ok("job image", image + " (pinned tag " + tag + ")");
  }
}

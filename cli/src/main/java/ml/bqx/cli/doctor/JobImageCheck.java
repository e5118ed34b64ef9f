package ml.bqx.cli.doctor;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import ml.bqx.core.config.Deployment;
import ml.bqx.gcp.doctor.CloudDeployment;

/**
 * The job exists and runs a pinned image: a digest ({@code @sha256:...}) or a tag of its own, not
 * {@code :latest} nor no tag (which means latest): a moving tag lets a retry run other code than
 * the attempt it retries. And Artifact Registry holds it: an image deleted or never pushed starts
 * no execution.
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
    CheckResult pinned = verdict(image.get());
    return pinned.ok() ? List.of(pinned, inRegistry(image.get())) : List.of(pinned);
  }

  /** Artifact Registry holds the image: its tag or version is there. */
  private CheckResult inRegistry(String image) {
    String check = "job image in registry";
    Optional<String> name = RegistryImage.name(image);
    if (name.isEmpty()) {
      return CheckResult.fail(
          check,
          image + " is not in Artifact Registry (LOCATION-docker.pkg.dev/PROJECT/REPOSITORY/IMAGE)",
          "push it there and deploy it: terraform/deploy.sh builds, pushes and deploys it");
    }
    if (!deployment.registryHolds(name.get())) {
      return CheckResult.fail(
          check,
          "Artifact Registry has no " + name.get() + ": the job cannot start",
          "push the image (terraform/deploy.sh builds and pushes it), or deploy one that exists");
    }
    return CheckResult.ok(check, "Artifact Registry holds " + name.get());
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

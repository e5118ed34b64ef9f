package ml.bqx.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.bqx.deployment.Terraform.Resource;

/**
 * Checks that terraform/deploy.sh works on an empty project: whatever a step needs exists before
 * it, by the script's order and terraform's own references.
 */
final class DeployOrder {
  private static final Pattern TARGET = Pattern.compile("-target=([a-z0-9_]+\\.[a-z0-9_]+)");
  private static final Pattern IMAGE =
      Pattern.compile("^IMAGE=\"[^/]+-docker\\.pkg\\.dev/[^/]+/([^/]+)/");

  /** One command of the script, by kind. */
  record Step(int line, String kind, List<String> targets) {}

  private DeployOrder() {}

  /** The script's commands that matter here, in order; continuation lines joined. */
  static List<Step> steps(String script) {
    List<Step> steps = new ArrayList<>();
    String[] lines = script.replace("\\\n", " ").split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].trim();
      if (line.startsWith("#")) {
        continue;
      }
      if (line.matches(".*\\bzip\\b.*\"\\$ZIP\".*")) {
        steps.add(new Step(i, "zip", List.of()));
      } else if (line.startsWith("docker push")) {
        steps.add(new Step(i, "push", List.of()));
      } else if (line.matches("terraform .*\\bapply\\b.*")) {
        List<String> targets = new ArrayList<>();
        Matcher m = TARGET.matcher(line);
        while (m.find()) {
          targets.add(m.group(1));
        }
        steps.add(new Step(i, targets.isEmpty() ? "apply" : "targeted-apply", targets));
      }
    }
    return steps;
  }

  /** Every way the script or terraform would fail on an empty project; empty when none. */
  static List<String> violations(String script, Terraform tf) {
    List<String> out = new ArrayList<>();
    List<Step> steps = steps(script);
    int push = index(steps, "push");
    int zip = index(steps, "zip");
    int full = lastIndex(steps, "apply");
    if (push < 0) {
      out.add("deploy.sh never pushes the job image");
    }
    if (full < 0 || full != steps.size() - 1 || full < push) {
      out.add("deploy.sh does not end with a full terraform apply after the image push");
    }
    int firstApply =
        Math.min(
            index(steps, "apply") < 0 ? steps.size() : index(steps, "apply"),
            index(steps, "targeted-apply") < 0 ? steps.size() : index(steps, "targeted-apply"));
    if (zip < 0 || zip > firstApply) {
      out.add("deploy.sh builds the functions' zip after an apply that uploads it");
    }
    // The push needs the repository the image lives in.
    Optional<Resource> repository = repositoryOfImage(script, tf);
    if (repository.isEmpty()) {
      out.add("deploy.sh's IMAGE names no google_artifact_registry_repository of terraform");
    } else if (push >= 0) {
      boolean created = false;
      for (int i = 0; i < push; i++) {
        created |= steps.get(i).targets().contains(repository.get().address());
      }
      if (!created) {
        out.add(
            "deploy.sh pushes the image before a targeted apply creates "
                + repository.get().address());
      }
    }
    // Terraform uploads the functions' source after its bucket, and builds after the upload.
    for (Resource object : tf.resources("google_storage_bucket_object")) {
      if (tf.referenced(object.text("bucket"), "google_storage_bucket").isEmpty()) {
        out.add(object.address() + " uploads into a bucket terraform does not create before it");
      }
    }
    for (Resource function : tf.resources("google_cloudfunctions2_function")) {
      String source = function.text("build_config.source.storage_source.object");
      if (tf.referenced(source, "google_storage_bucket_object").isEmpty()) {
        out.add(function.address() + " builds from an object terraform does not upload before it");
      }
    }
    return out;
  }

  private static Optional<Resource> repositoryOfImage(String script, Terraform tf) {
    for (String line : script.split("\n")) {
      Matcher m = IMAGE.matcher(line.trim());
      if (m.find()) {
        String id = m.group(1);
        return tf.resources("google_artifact_registry_repository").stream()
            .filter(r -> r.text("repository_id").equals(id))
            .findFirst();
      }
    }
    return Optional.empty();
  }

  private static int index(List<Step> steps, String kind) {
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).kind().equals(kind)) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndex(List<Step> steps, String kind) {
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (steps.get(i).kind().equals(kind)) {
        return i;
      }
    }
    return -1;
  }
}

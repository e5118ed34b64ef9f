package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** terraform/deploy.sh on an empty project: each step finds what it needs already created. */
class DeployOrderTest {
  private static Terraform real;
  private static String script;

  @TempDir Path copy;

  @BeforeAll
  static void load() {
    real = Terraform.load(TerraformCopy.TERRAFORM);
    script = TerraformCopy.read("deploy.sh");
  }

  @Test
  void realScript_buildsThenCreatesTheRegistryThenPushesThenAppliesEverything() {
    assertThat(DeployOrder.steps(script))
        .extracting(DeployOrder.Step::kind)
        .containsExactly("zip", "targeted-apply", "push", "apply");
    assertThat(DeployOrder.violations(script, real)).isEmpty();
  }

  @Test
  void pushBeforeTheRegistryExists_isReported() {
    String pushFirst =
        script
            .replace("docker push \"$IMAGE\"\n", "")
            .replace("# 2. What the image push needs.\n", "docker push \"$IMAGE\"\n");
    assertThat(DeployOrder.violations(pushFirst, real))
        .contains(
            "deploy.sh pushes the image before a targeted apply creates"
                + " google_artifact_registry_repository.images");
  }

  @Test
  void targetedApplyOfTheWrongResource_isReported() {
    String wrong =
        script.replace(
            "-target=google_artifact_registry_repository.images",
            "-target=google_storage_bucket.functions_source");
    assertThat(DeployOrder.violations(wrong, real))
        .contains(
            "deploy.sh pushes the image before a targeted apply creates"
                + " google_artifact_registry_repository.images");
  }

  @Test
  void uploadIntoABucketNamedByHand_isReported() {
    assertThat(
            violationsWith(
                "functions.tf",
                "  bucket       = google_storage_bucket.functions_source.name",
                "  bucket       = var.functions_source_bucket"))
        .contains(
            "google_storage_bucket_object.functions_source uploads into a bucket terraform does not"
                + " create before it");
  }

  @Test
  void functionsBuiltFromAnObjectUploadedByHand_areReported() {
    List<String> violations =
        violationsWith(
            "functions.tf",
            "        object = google_storage_bucket_object.functions_source.name",
            "        object = \"functions.zip\"");
    for (String function : List.of("dispatch", "completion", "reconcile")) {
      assertThat(violations)
          .contains(
              "google_cloudfunctions2_function.function[\""
                  + function
                  + "\"] builds from an object terraform does not upload before it");
    }
  }

  private List<String> violationsWith(String file, String from, String to) {
    return DeployOrder.violations(script, TerraformCopy.replaced(copy, file, from, to));
  }
}

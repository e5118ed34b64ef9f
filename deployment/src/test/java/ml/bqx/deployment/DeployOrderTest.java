package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** terraform/deploy.sh on an empty project: each step finds what it needs already created. */
class DeployOrderTest {
  private static final Path TERRAFORM =
      Path.of(System.getProperty("bqx.repo.root", ".."), "terraform");
  private static Terraform real;
  private static String script;

  @TempDir Path copy;

  @BeforeAll
  static void load() throws IOException {
    real = Terraform.load(TERRAFORM);
    script = Files.readString(TERRAFORM.resolve("deploy.sh"), StandardCharsets.UTF_8);
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
  void uploadIntoABucketNamedByHand_isReported() throws IOException {
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
  void functionBuiltFromAnObjectUploadedByHand_isReported() throws IOException {
    assertThat(
            violationsWith(
                "functions.tf",
                "        object = google_storage_bucket_object.functions_source.name",
                "        object = \"functions.zip\""))
        .contains(
            "google_cloudfunctions2_function.dispatch builds from an object terraform does not"
                + " upload before it");
  }

  private java.util.List<String> violationsWith(String file, String from, String to)
      throws IOException {
    String text = Files.readString(TERRAFORM.resolve(file), StandardCharsets.UTF_8);
    assertThat(text).as("mutation target").contains(from);
    Path folder = TerraformCopy.withFile(TERRAFORM, copy, file, text.replace(from, to));
    return DeployOrder.violations(script, Terraform.load(folder));
  }
}

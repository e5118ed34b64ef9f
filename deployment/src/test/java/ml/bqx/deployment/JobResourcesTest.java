package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's CPU and memory, and the ones the example settings give, as Cloud Run accepts them. */
class JobResourcesTest {
  private static final Path TERRAFORM =
      Path.of(System.getProperty("bqx.repo.root", ".."), "terraform");

  @TempDir Path copy;

  @Test
  void defaultsAndExample_fitCloudRunsTable_andTerraformRefusesTheRest() throws IOException {
    assertThat(JobResources.violations(Terraform.load(TERRAFORM), example())).isEmpty();
  }

  @Test
  void fourVcpuWithOneGib_isRefused() throws IOException {
    String text = Files.readString(TERRAFORM.resolve("variables.tf"), StandardCharsets.UTF_8);
    String changed = text.replace("default     = 12\n", "default     = 1\n");
    assertThat(changed).isNotEqualTo(text);
    Terraform tf = Terraform.load(TerraformCopy.withFile(TERRAFORM, copy, "variables.tf", changed));
    assertThat(JobResources.violations(tf, Map.of()))
        .contains("the defaults: Cloud Run refuses 1 GiB with 4 vCPU (it takes 2 to 16 GiB)");
  }

  @Test
  void exampleWithEightVcpuAndTwoGib_isRefused() throws IOException {
    assertThat(
            JobResources.violations(
                Terraform.load(TERRAFORM), Map.of("job_cpu", "8", "job_memory_gib", "2")))
        .contains(
            "terraform.tfvars.example: Cloud Run refuses 2 GiB with 8 vCPU (it takes 4 to 32 GiB)");
  }

  @Test
  void tableDriftingFromCloudRuns_isReported() throws IOException {
    String text = Files.readString(TERRAFORM.resolve("job.tf"), StandardCharsets.UTF_8);
    String changed = text.replace("\"4\" = [2, 16]", "\"4\" = [1, 16]");
    assertThat(changed).isNotEqualTo(text);
    Terraform tf = Terraform.load(TerraformCopy.withFile(TERRAFORM, copy, "job.tf", changed));
    assertThat(JobResources.violations(tf, Map.of()))
        .anyMatch(v -> v.startsWith("local.job_memory_gib_by_cpu"));
  }

  private static Map<String, String> example() throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("(?m)^(job_cpu|job_memory_gib)\\s*=\\s*(\\S+)")
            .matcher(
                Files.readString(
                    TERRAFORM.resolve("terraform.tfvars.example"), StandardCharsets.UTF_8));
    while (m.find()) {
      values.put(m.group(1), m.group(2));
    }
    assertThat(values).containsKeys("job_cpu", "job_memory_gib");
    return values;
  }
}

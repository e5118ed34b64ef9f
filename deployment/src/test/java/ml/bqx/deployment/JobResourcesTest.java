package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's CPU and memory, and the ones the example settings give, as Cloud Run accepts them. */
class JobResourcesTest {
  private static final Path TERRAFORM = TerraformCopy.TERRAFORM;

  @TempDir Path copy;

  @Test
  void defaultsAndExample_fitCloudRunsTable_andTerraformRefusesTheRest() {
    assertThat(JobResources.violations(Terraform.load(TERRAFORM), example())).isEmpty();
  }

  @Test
  void fourVcpuWithOneGib_isRefused() {
    Terraform tf =
        TerraformCopy.replaced(copy, "variables.tf", "default     = 12\n", "default     = 1\n");
    assertThat(JobResources.violations(tf, Map.of()))
        .contains("the defaults: Cloud Run refuses 1 GiB with 4 vCPU (it takes 2 to 16 GiB)");
  }

  @Test
  void exampleWithEightVcpuAndTwoGib_isRefused() {
    assertThat(
            JobResources.violations(
                Terraform.load(TERRAFORM), Map.of("job_cpu", "8", "job_memory_gib", "2")))
        .contains(
            "terraform.tfvars.example: Cloud Run refuses 2 GiB with 8 vCPU (it takes 4 to 32 GiB)");
  }

  @Test
  void tableDriftingFromCloudRuns_isReported() {
    Terraform tf = TerraformCopy.replaced(copy, "job.tf", "\"4\" = [2, 16]", "\"4\" = [1, 16]");
    assertThat(JobResources.violations(tf, Map.of()))
        .anyMatch(v -> v.startsWith("local.job_memory_gib_by_cpu"));
  }

  private static Map<String, String> example() {
    Map<String, String> values = new LinkedHashMap<>();
    Matcher m =
        Pattern.compile("(?m)^(job_cpu|job_memory_gib)\\s*=\\s*(\\S+)")
            .matcher(TerraformCopy.read("terraform.tfvars.example"));
    while (m.find()) {
      values.put(m.group(1), m.group(2));
    }
    assertThat(values).containsKeys("job_cpu", "job_memory_gib");
    return values;
  }
}

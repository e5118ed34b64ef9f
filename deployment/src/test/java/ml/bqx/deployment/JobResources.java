package ml.bqx.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ml.bqx.deployment.Terraform.Resource;

/**
 * The job's CPU and memory as Cloud Run accepts them: per vCPU count, a memory range
 * (https://cloud.google.com/run/docs/configuring/jobs/cpu, "vCPU and memory table": 1 vCPU 128 MiB
 * to 4 GiB, 2 vCPU to 8 GiB, 4 vCPU 2 to 16 GiB, 6 vCPU 4 to 24 GiB, 8 vCPU 4 to 32 GiB; below 512
 * MiB only for less than 1 vCPU, https://cloud.google.com/run/docs/configuring/jobs/memory-limits).
 */
final class JobResources {
  /** vCPUs to the [least, most] GiB Cloud Run accepts for a job with them. */
  static final Map<String, double[]> CLOUD_RUN =
      Map.of(
          "1", new double[] {0.5, 4},
          "2", new double[] {0.5, 8},
          "4", new double[] {2, 16},
          "6", new double[] {4, 24},
          "8", new double[] {4, 32});

  private JobResources() {}

  /** Every way the job's resources could be refused by Cloud Run; empty when none. */
  static List<String> violations(Terraform tf, Map<String, String> tfvars) {
    List<String> out = new ArrayList<>();
    JsonNode table = tf.local("job_memory_gib_by_cpu");
    Map<String, String> declared = new TreeMap<>();
    table.properties().forEach(e -> declared.put(e.getKey(), e.getValue().toString()));
    Map<String, String> documented = new TreeMap<>();
    CLOUD_RUN.forEach(
        (cpu, range) -> documented.put(cpu, "[" + number(range[0]) + "," + number(range[1]) + "]"));
    if (!declared.equals(documented)) {
      out.add(
          "local.job_memory_gib_by_cpu " + declared + " is not Cloud Run's table " + documented);
    }
    Resource job = tf.resources("google_cloud_run_v2_job").get(0);
    String precondition = job.text("lifecycle.precondition.condition");
    for (String ref : List.of("local.job_memory_gib_by_cpu", "var.job_memory_gib", "var.job_cpu")) {
      if (!Terraform.references(precondition).contains(ref)) {
        out.add(
            job.address() + " has no precondition on " + ref + " (Cloud Run's CPU/memory pairs)");
      }
    }
    String cpuCheck = tf.variable("job_cpu").path("validation").get(0).path("condition").asText();
    for (String cpu : CLOUD_RUN.keySet()) {
      if (!cpuCheck.matches(".*\\b" + cpu + "\\b.*")) {
        out.add("var.job_cpu does not allow " + cpu + " vCPU");
      }
    }
    fits(
        "the defaults",
        tf.variable("job_cpu").path("default").asText(),
        tf.variable("job_memory_gib").path("default").asText(),
        out);
    if (tfvars.containsKey("job_cpu") || tfvars.containsKey("job_memory_gib")) {
      fits(
          "terraform.tfvars.example",
          tfvars.getOrDefault("job_cpu", tf.variable("job_cpu").path("default").asText()),
          tfvars.getOrDefault(
              "job_memory_gib", tf.variable("job_memory_gib").path("default").asText()),
          out);
    }
    return out;
  }

  private static void fits(String what, String cpu, String memory, List<String> out) {
    double[] range = CLOUD_RUN.get(cpu);
    double gib = Double.parseDouble(memory);
    if (range == null) {
      out.add(what + ": Cloud Run jobs take 1, 2, 4, 6 or 8 vCPU, not " + cpu);
    } else if (gib < range[0] || gib > range[1]) {
      out.add(
          what
              + ": Cloud Run refuses "
              + memory
              + " GiB with "
              + cpu
              + " vCPU (it takes "
              + number(range[0])
              + " to "
              + number(range[1])
              + " GiB)");
    }
  }

  private static String number(double value) {
    return value == Math.floor(value) ? Long.toString((long) value) : Double.toString(value);
  }
}

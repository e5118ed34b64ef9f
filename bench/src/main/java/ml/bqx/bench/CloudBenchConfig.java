package ml.bqx.bench;

import java.util.List;
import ml.bqx.bench.cloud.CloudProfile;

/**
 * What {@code bqx bench --cloud} adds: the simulated services, the extraction's concurrency levels,
 * the child JVM of the whole job, sized as a Cloud Run task (CPUs the JVM sees, heap), and which of
 * the measurements to make ({@code --cloud-only}: at the seed's scale the whole set takes an hour).
 */
record CloudBenchConfig(
    CloudProfile profile, List<Integer> concurrency, int cpus, String xmx, List<String> only) {
  CloudBenchConfig {
    concurrency = List.copyOf(concurrency);
    only = List.copyOf(only);
  }

  /** The measurements, in the order they run. */
  static final List<String> PARTS = List.of("encoding", "extraction", "merge", "job");

  /** Whether this measurement is made. */
  boolean measures(String part) {
    return only.contains(part);
  }

  static final List<Integer> CONCURRENCY = List.of(4, 8, 16, 32);

  /** Cloud Run's 4 vCPU / 12 GiB task: a heap that leaves room for the JVM's own memory. */
  static final int CPUS = 4;

  static final String XMX = "10g";

  String problem() {
    for (String part : only) {
      if (!PARTS.contains(part)) {
        return "--cloud-only takes " + String.join(", ", PARTS) + "; got '" + part + "'";
      }
    }
    if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1 || c > 256)) {
      return "--cloud-concurrency needs levels between 1 and 256, got " + concurrency;
    }
    if (cpus < 1) {
      return "--cloud-cpus must be 1 or more";
    }
    if (!xmx.matches("[1-9][0-9]*[kKmMgG]?")) {
      return "--cloud-xmx must look like 512m or 10g, got '" + xmx + "'";
    }
    return profile.problem();
  }

  /** The profile as child arguments. */
  java.util.Map<String, String> profileArgs() {
    return java.util.Map.of(
        "gcsLatencyMs", Double.toString(profile.gcsLatencyMs()),
        "gcsMbpsPerStream", Double.toString(profile.gcsMbpsPerStream()),
        "readSessionMs", Double.toString(profile.readSessionMs()),
        "readMbpsPerStream", Double.toString(profile.readMbpsPerStream()),
        "publishLatencyMs", Double.toString(profile.publishLatencyMs()));
  }
}

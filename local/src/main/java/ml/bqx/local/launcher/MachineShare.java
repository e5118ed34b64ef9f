package ml.bqx.local.launcher;

import java.util.List;
import java.util.Locale;

/**
 * What one local job may take of this machine when {@code jobsAtOnce} jobs run on it together: its
 * share of the CPUs and of half the memory, as a Cloud Run job's container gives it its own vCPUs
 * and memory. The job sees the share as its machine ({@code -XX:ActiveProcessorCount}, {@code
 * -XX:MaxRAMPercentage}), so its extraction concurrency ({@code auto}) and DuckDB's threads fit the
 * share instead of each job taking the whole machine.
 */
record MachineShare(int cpus, double heapPercent) {
  /** The memory the jobs' heaps may take together; the rest is the OS's, DuckDB's and Arrow's. */
  static final double HEAPS_PERCENT = 50;

  static MachineShare of(int machineCpus, int jobsAtOnce) {
    int jobs = Math.max(1, jobsAtOnce);
    return new MachineShare(Math.max(1, machineCpus / jobs), HEAPS_PERCENT / jobs);
  }

  List<String> jvmOptions() {
    return List.of(
        "-XX:ActiveProcessorCount=" + cpus,
        String.format(Locale.ROOT, "-XX:MaxRAMPercentage=%.1f", heapPercent));
  }
}

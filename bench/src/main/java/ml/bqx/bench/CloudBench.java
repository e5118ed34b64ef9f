package ml.bqx.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.bench.cloud.MergeOnWire;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.job.extract.Checkpoint;

/**
 * The measurements of {@code bqx bench --cloud}, each in a child JVM against simulated Google
 * Cloud: the checkpoint encoding alone, the extraction at each concurrency, the merge on GCS of the
 * prepared checkpoints, and the whole job in a child sized as a Cloud Run task.
 */
final class CloudBench {
  /** Prints one progress line, as {@link BenchRunner#say} does. */
  interface Say {
    void say(String format, Object... values);
  }

  private final BenchConfig config;
  private final CloudBenchConfig cloud;
  private final BenchResults results;
  private final ChildJvm child;
  private final ChildJvm cloudRunTask;
  private final Say say;

  CloudBench(BenchConfig config, BenchResults results, Path log, Say say) {
    this.config = config;
    this.cloud = config.cloud();
    this.results = results;
    this.child = new ChildJvm(List.of("-Xmx" + cloud.xmx()), log);
    this.cloudRunTask =
        new ChildJvm(
            List.of("-Xmx" + cloud.xmx(), "-XX:ActiveProcessorCount=" + cloud.cpus()), log);
    this.say = say;
  }

  /** The measurements {@code --cloud-only} names; the merge's on the prepared checkpoints. */
  void run(Path checkpoints) throws IOException {
    if (cloud.measures("encoding")) {
      encoding();
    }
    if (cloud.measures("extraction")) {
      extraction();
    }
    if (cloud.measures("merge")) {
      merge(checkpoints);
    }
    if (cloud.measures("job")) {
      job();
    }
  }

  private Map<String, String> args(Object... pairs) {
    Map<String, String> args = new LinkedHashMap<>(BenchRunner.args(pairs));
    args.put("warehouse", config.warehouseFile().toString());
    args.put("rowGroupRows", Integer.toString(config.rowGroupRows()));
    // The fake GCS keeps its objects as files here, off the heap; each child removes its own.
    args.put("objects", config.workdir().resolve("scratch").resolve("cloud-objects").toString());
    args.putAll(cloud.profileArgs());
    return args;
  }

  private void encoding() throws IOException {
    for (int r = 1; r <= config.repeat(); r++) {
      Map<String, Double> f = child.run("encode", args("tables", config.extractTables()));
      results.add("cloud.encode.mbPerSecPerCore", "MB/s", f.get("mbPerSecPerCore"));
      results.add("cloud.encode.mbPerCpuSecond", "MB/s", f.get("mbPerCpuSecond"));
      say.say(
          "checkpoint encoding alone, run %d/%d: %.0f tables, %.0f MB of doubles in %.2f s on one"
              + " thread = %.1f MB/s (%.2f s of its CPU = %.1f MB per CPU second)",
          r,
          config.repeat(),
          f.get("tables"),
          f.get("inputBytes") / 1e6,
          f.get("seconds"),
          f.get("mbPerSecPerCore"),
          f.get("cpuSeconds"),
          f.get("mbPerCpuSecond"));
    }
  }

  private void extraction() throws IOException {
    for (int c : cloud.concurrency()) {
      for (int r = 1; r <= config.repeat(); r++) {
        Map<String, Double> f =
            child.run(
                "cloudExtract",
                args(
                    "run",
                    "bench-cloud-extract-c" + c + "-r" + r,
                    "tables",
                    config.extractTables(),
                    "concurrency",
                    c));
        String k = "cloud.extract.c" + c + ".";
        results.add(k + "tablesPerMin", "tables/min", f.get("tablesPerMin"));
        results.add(k + "requests", "requests", f.get("wire.requests"));
        say.say(
            "extraction on simulated Storage Read, concurrency %d, run %d/%d: %.0f tables in %.1f"
                + " s = %.1f tables/min (%.0f requests)",
            c,
            r,
            config.repeat(),
            f.get("tables"),
            f.get("seconds"),
            f.get("tablesPerMin"),
            f.get("wire.requests"));
      }
    }
  }

  private void merge(Path checkpoints) throws IOException {
    Path objects = config.workdir().resolve("scratch").resolve("merge-objects");
    List<Checkpoint> local = CheckpointList.read(checkpoints, config.seedTables());
    try (MergeOnWire gcs = new MergeOnWire(cloud.profile(), local, objects)) {
      for (int r = 1; r <= config.repeat(); r++) {
        long requests = gcs.requests();
        long bytes = gcs.bytes();
        Map<String, Double> f =
            child.run(
                "cloudMerge",
                args(
                    "list",
                    checkpoints,
                    "tables",
                    config.seedTables(),
                    "pair",
                    BenchChild.PAIR,
                    "gcsUrl",
                    gcs.url()));
        requests = gcs.requests() - requests;
        bytes = gcs.bytes() - bytes;
        results.add("cloud.merge.seconds", "s", f.get("seconds"));
        results.add("cloud.merge.requests", "requests", (double) requests);
        results.add("cloud.merge.bytes", "bytes", (double) bytes);
        results.add("cloud.merge.peakRssMb", "MB", BenchResults.mb(f.get("peakRssBytes")));
        say.say(
            "merge on simulated GCS, %d tables, run %d/%d: %.2f s, %d requests, %.0f MB, peak RSS"
                + " %.0f MB (the merge's own: the fake GCS runs in the bench)",
            config.seedTables(),
            r,
            config.repeat(),
            f.get("seconds"),
            requests,
            bytes / 1e6,
            BenchResults.mb(f.get("peakRssBytes")));
      }
    }
  }

  private void job() throws IOException {
    int columns = 1 + WarehouseLayout.HORIZONS.size() + config.seedTables() * config.columns();
    for (int r = 1; r <= config.jobRepeat(); r++) {
      say.say(
          "whole job on simulated Google Cloud (%d CPUs, -Xmx%s), run %d/%d ...",
          cloud.cpus(), cloud.xmx(), r, config.jobRepeat());
      Map<String, Double> f =
          cloudRunTask.run(
              "cloudJob",
              args(
                  "run",
                  "bench-cloud-job-r" + r,
                  "concurrency",
                  config.jobConcurrency(),
                  "minRows",
                  config.rows(),
                  "minColumns",
                  columns));
      StringBuilder line = new StringBuilder();
      for (String stage : BenchResults.STAGES_AND_TOTAL) {
        String k = "cloud.job." + stage + ".";
        String from = stage.equals("total") ? "total." : stage + ".";
        double seconds = stage.equals("total") ? f.get("seconds") : f.get(from + "seconds");
        results.add(k + "seconds", "s", seconds);
        results.add(k + "requests", "requests", f.get(from + "requests"));
        results.add(k + "bytes", "bytes", f.get(from + "bytes"));
        for (String service : List.of("gcsRequests", "readSessions", "readStreams", "publishes")) {
          results.add(k + service, "requests", f.get(from + service));
        }
        line.append(
            String.format(
                java.util.Locale.ROOT,
                " %s %.1f s %.0f req %.0f MB;",
                stage,
                seconds,
                f.get(from + "requests"),
                f.get(from + "bytes") / 1e6));
      }
      results.add("cloud.job.peakHeapMb", "MB", BenchResults.mb(f.get("peakHeapBytes")));
      say.say("  %.0f rows x %.0f columns:%s", f.get("rows"), f.get("columns"), line);
    }
  }
}

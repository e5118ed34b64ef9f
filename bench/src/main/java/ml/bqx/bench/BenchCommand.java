package ml.bqx.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import ml.bqx.bench.cloud.CloudProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bqx bench}: extraction rate, merge time and memory against the floor, and the whole job,
 * measured on the embedded warehouse, each run in a child JVM; writes bench.json and bench.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures extraction (tables/min per concurrency), the merge (time, MB/s, peak heap and RSS"
          + " per table count) against the floor (read every checkpoint, write the bytes once),"
          + " the whole job for one pair, and its re-run with a few tables changed (the"
          + " checkpoint cache), on the embedded DuckDB warehouse.",
      "Medians of --repeat runs, each in a child JVM. Writes bench.json and bench.md."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--workdir",
      description = "Folder for the seeded warehouse, checkpoints and scratch (reused). Default: .")
  Path workdir = Path.of(".");

  @Option(names = "--out", description = "Folder for the results. Default: <workdir>/bench-results")
  Path out;

  @Option(names = "--quick", description = "A small configuration (1 repeat) with every figure.")
  boolean quick;

  @Option(names = "--repeat", description = "Runs per figure; the median is reported. Default: 3")
  Integer repeat;

  @Option(names = "--job-repeat", description = "Runs of the whole job. Default: --repeat")
  Integer jobRepeat;

  @Option(
      names = "--concurrency",
      split = ",",
      description = "Extraction concurrency levels. Default: 1,2,4,8,16")
  List<Integer> concurrency;

  @Option(
      names = "--extract-tables",
      description = "Feature tables per extraction run. Default: 60")
  Integer extractTables;

  @Option(
      names = "--merge-tables",
      split = ",",
      description = "Feature-table counts for the merge and floor. Default: 50,100,200,400,668")
  List<Integer> mergeTables;

  @Option(names = "--seed-tables", description = "Feature tables seeded. Default: 668")
  Integer seedTables;

  @Option(names = "--rows", description = "Rows of every table. Default: 100800")
  Integer rows;

  @Option(names = "--columns", description = "Columns per feature table. Default: 16")
  Integer columns;

  @Option(names = "--row-group-rows", description = "Rows per row group. Default: 100000")
  Integer rowGroupRows;

  @Option(names = "--xmx", description = "Heap of each child JVM. Default: 1g")
  String xmx;

  @Option(
      names = "--job-concurrency",
      description = "Extraction concurrency of the whole job. Default: 8")
  Integer jobConcurrency;

  @Option(
      names = "--rerun-changed",
      description =
          "Feature tables changed before the whole job runs again over its checkpoint cache"
              + " (the re-run's seconds against the full run's; 0: no re-run). Default: 10")
  Integer rerunChanged;

  @Option(
      names = "--only-job",
      description =
          "Measures the whole job and its re-run only: not extraction and merge apart, nor the"
              + " read-back (at the seed's scale each reader holds the whole file decoded).")
  boolean onlyJob;

  @Option(
      names = "--cloud",
      description =
          "Measures on simulated Google Cloud instead: the job with the Google adapters against"
              + " loopback fakes of GCS, BigQuery and Pub/Sub with the latencies and bandwidths"
              + " below; per stage seconds, requests and bytes; extraction at"
              + " --cloud-concurrency; the merge on GCS against the local merge; the checkpoint"
              + " encoding rate.")
  boolean cloud;

  @Option(
      names = "--gcs-latency-ms",
      description = "GCS first-byte latency per request. Default: 30")
  double gcsLatencyMs = CloudProfile.GCS_LATENCY_MS;

  @Option(
      names = "--gcs-mbps-per-stream",
      description = "GCS throughput of one stream, MB/s. Default: 60")
  double gcsMbpsPerStream = CloudProfile.GCS_MBPS_PER_STREAM;

  @Option(
      names = "--read-session-ms",
      description = "Storage Read API session creation. Default: 1000")
  double readSessionMs = CloudProfile.READ_SESSION_MS;

  @Option(
      names = "--read-mbps-per-stream",
      description = "Storage Read API throughput of one stream, MB/s. Default: 10")
  double readMbpsPerStream = CloudProfile.READ_MBPS_PER_STREAM;

  @Option(names = "--publish-latency-ms", description = "Pub/Sub publish latency. Default: 100")
  double publishLatencyMs = CloudProfile.PUBLISH_LATENCY_MS;

  @Option(
      names = "--cloud-concurrency",
      split = ",",
      description = "Extraction concurrency levels on simulated Storage Read. Default: 4,8,16,32")
  List<Integer> cloudConcurrency = CloudBenchConfig.CONCURRENCY;

  @Option(
      names = "--cloud-only",
      split = ",",
      description =
          "With --cloud, only these measurements: encoding, extraction, merge, job."
              + " Default: all of them")
  List<String> cloudOnly = CloudBenchConfig.PARTS;

  @Option(
      names = "--cloud-cpus",
      description = "CPUs the cloud job's JVM sees (-XX:ActiveProcessorCount). Default: 4")
  int cloudCpus = CloudBenchConfig.CPUS;

  @Option(
      names = "--cloud-xmx",
      description = "Heap of the cloud children (the fakes' objects live in it too). Default: 10g")
  String cloudXmx = CloudBenchConfig.XMX;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    BenchConfig config = config();
    String problem = config.problem();
    if (problem != null) {
      err.println("bqx bench: " + problem);
      return 2;
    }
    PrintWriter progress = spec.commandLine().getOut();
    new BenchRunner(config, progress).run(commandText());
    return 0;
  }

  BenchConfig config() {
    Path dir = workdir.toAbsolutePath().normalize();
    Path results = out == null ? dir.resolve("bench-results") : out.toAbsolutePath().normalize();
    BenchConfig base = quick ? BenchConfig.quick(dir, results) : BenchConfig.full(dir, results);
    int runs = or(repeat, base.repeat());
    return new BenchConfig(
        dir,
        results,
        runs,
        or(jobRepeat, repeat == null ? base.jobRepeat() : runs),
        concurrency == null ? base.concurrency() : concurrency,
        or(extractTables, base.extractTables()),
        mergeTables == null ? base.mergeTables() : mergeTables,
        or(seedTables, base.seedTables()),
        or(rows, base.rows()),
        or(columns, base.columns()),
        or(rowGroupRows, base.rowGroupRows()),
        xmx == null ? base.xmx() : xmx,
        or(jobConcurrency, base.jobConcurrency()),
        or(rerunChanged, base.rerunChanged()),
        onlyJob,
        cloud
            ? new CloudBenchConfig(
                new CloudProfile(
                    gcsLatencyMs,
                    gcsMbpsPerStream,
                    readSessionMs,
                    readMbpsPerStream,
                    publishLatencyMs),
                cloudConcurrency,
                cloudCpus,
                cloudXmx,
                cloudOnly)
            : null);
  }

  /** The command that reproduces these figures, as written into the results. */
  private String commandText() {
    // Under bqx, the parse result holds the whole command line, "bench" included.
    java.util.List<String> args = spec.commandLine().getParseResult().originalArgs();
    int start = args.indexOf("bench") + 1;
    return "bqx bench " + String.join(" ", args.subList(start, args.size())).trim();
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}

package ml.bqx.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ml.bqx.core.json.Json;
import ml.bqx.core.testing.ChildProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bqx bench --cloud} at a tiny scale through its entry point: the job with the Google
 * adapters against the wire fakes, its report per stage checked against what the fakes counted.
 * Latencies are set near zero: the figures are counts here, never times.
 */
@ExtendWith(ChildProcesses.class)
class CloudBenchCommandTest {
  private static final List<String> STAGES =
      List.of("extract", "merge", "validate", "upload", "cleanup");

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine line = new CommandLine(new BenchCommand());
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    return line.execute(args);
  }

  private static double median(JsonNode json, String key) {
    JsonNode figure = json.get("figures").get(key);
    assertThat(figure).as(key).isNotNull();
    return figure.get("median").asDouble();
  }

  @Test
  void cloud_reportsEachStagesRequestsAndBytes_asTheFakesCountedThem() throws Exception {
    int code =
        execute(
            "--quick",
            "--cloud",
            "--workdir",
            dir.toString(),
            "--cloud-concurrency",
            "2",
            "--cloud-xmx",
            "512m",
            "--gcs-latency-ms",
            "1",
            "--read-session-ms",
            "1",
            "--publish-latency-ms",
            "1");

    assertThat(code).as(err.toString()).isZero();
    JsonNode json =
        Json.MAPPER.readTree(dir.resolve("bench-results").resolve("bench.json").toFile());
    double stageRequests = 0;
    for (String stage : STAGES) {
      String k = "cloud.job." + stage + ".";
      assertThat(median(json, k + "seconds")).as(k).isGreaterThanOrEqualTo(0);
      assertThat(median(json, k + "requests")).as(k).isPositive();
      // Each stage publishes its started and succeeded events, at least.
      assertThat(median(json, k + "publishes")).as(k).isGreaterThanOrEqualTo(2);
      stageRequests += median(json, k + "requests");
    }
    double total = median(json, "cloud.job.total.requests");
    assertThat(stageRequests).isLessThanOrEqualTo(total);
    // Storage Read is the extraction's alone: a session for every table (8 features, targets).
    assertThat(median(json, "cloud.job.extract.readSessions"))
        .isEqualTo(median(json, "cloud.job.total.readSessions"))
        .isGreaterThanOrEqualTo(9);
    // The merge reads every checkpoint and uploads the file: bytes both ways over GCS.
    assertThat(median(json, "cloud.job.merge.bytes")).isPositive();
    assertThat(median(json, "cloud.job.extract.bytes")).isPositive();
    assertThat(median(json, "cloud.job.total.bytes"))
        .isGreaterThanOrEqualTo(
            median(json, "cloud.job.extract.bytes") + median(json, "cloud.job.merge.bytes"));
    assertThat(median(json, "cloud.extract.c2.tablesPerMin")).isPositive();
    assertThat(median(json, "cloud.merge.requests")).isPositive();
    assertThat(median(json, "cloud.encode.mbPerSecPerCore")).isPositive();
    assertThat(median(json, "cloud.encode.mbPerCpuSecond")).isPositive();
    assertThat(json.get("ratios").get("cloudMergeVsLocal.t8").asDouble()).isPositive();
    assertThat(json.get("ratios").get("cloudRun26PairsCap8VsGuide").asDouble()).isPositive();
    String md = Files.readString(dir.resolve("bench-results").resolve("bench.md"));
    assertThat(md)
        .contains("| cloud.job.extract.requests |")
        .contains("| ratio cloudMergeVsLocal.t8 |")
        .doesNotContain("n/a");
    assertThat(out.toString()).contains("bench: whole job on simulated Google Cloud (4 CPUs");
  }

  @Test
  void cloudWithZeroBandwidth_printsOneLineReason() {
    int code =
        execute("--quick", "--cloud", "--workdir", dir.toString(), "--read-mbps-per-stream", "0");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "bqx bench: --gcs-mbps-per-stream and --read-mbps-per-stream must be more than 0");
  }
}

package ml.bqx.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.json.Json;
import ml.bqx.core.testing.ChildProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@ExtendWith(ChildProcesses.class)
class BenchCommandTest {
  private static final List<String> STAGES =
      List.of("extract", "merge", "validate", "upload", "cleanup");

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    // bqx's own handling of bad flags is the CLI's (cli's BenchCommandLineTest); this drives the
    // command itself.
    CommandLine line = new CommandLine(new BenchCommand());
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    return line.execute(args);
  }

  @Test
  void quick_producesEveryFigureInJsonAndMarkdown() throws Exception {
    int code = execute("--quick", "--workdir", dir.toString());

    assertThat(code).as(err.toString()).isZero();
    Path results = dir.resolve("bench-results");
    JsonNode json = Json.MAPPER.readTree(results.resolve("bench.json").toFile());
    List<String> keys = new ArrayList<>();
    json.get("figures").fieldNames().forEachRemaining(keys::add);
    List<String> expected =
        new ArrayList<>(List.of("extract.c1.tablesPerMin", "extract.c2.tablesPerMin"));
    for (int t : List.of(3, 8)) {
      for (String f : List.of("seconds", "mbPerSec")) {
        expected.add("floor.t" + t + "." + f);
      }
      for (String f : List.of("seconds", "mbPerSec", "peakRssMb", "peakHeapMb", "outputMb")) {
        expected.add("merge.t" + t + "." + f);
      }
    }
    for (String s : List.of("extract", "merge", "validate", "upload", "cleanup", "total")) {
      expected.add("job." + s + ".seconds");
    }
    expected.addAll(List.of("job.peakHeapMb", "job.peakRssMb"));
    for (String f :
        List.of(
            "total.seconds",
            "extract.seconds",
            "merge.seconds",
            "tablesExtracted",
            "tablesReused",
            "fullRun.seconds")) {
      expected.add("rerun." + f);
    }
    for (String reader : List.of("polars", "duckdb")) {
      expected.addAll(List.of("read." + reader + ".seconds", "read." + reader + ".peakRssMb"));
    }
    assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
    for (String key : expected) {
      JsonNode figure = json.get("figures").get(key);
      assertThat(figure.get("median").isNumber()).as(key).isTrue();
      assertThat(figure.get("median").asDouble()).as(key).isGreaterThanOrEqualTo(0);
      assertThat(figure.get("runs")).as(key).hasSize(1);
    }
    List<String> ratios = new ArrayList<>();
    json.get("ratios").fieldNames().forEachRemaining(ratios::add);
    assertThat(ratios)
        .containsExactly(
            "mergeVsFloor.t3",
            "mergeVsFloor.t8",
            "peakHeap.t8VsT3",
            "peakRss.t8VsT3",
            "tablesPerMinVsGuide.c1",
            "tablesPerMinVsGuide.c2",
            "jobVsGuide",
            "rerunVsFullRun");
    assertThat(json.get("checks").size()).isEqualTo(2);
    assertThat(json.get("command").asText()).isEqualTo("bqx bench --quick --workdir " + dir);

    List<String> rows = Files.readAllLines(results.resolve("bench.md"));
    for (String row :
        List.of(
            "| extraction, concurrency 1 |",
            "| extraction, concurrency 2 |",
            "| merge, 3 tables |",
            "| merge, 8 tables |",
            "| job, extract |",
            "| job, merge |",
            "| job, validate |",
            "| job, upload |",
            "| job, cleanup |",
            "| job, total |",
            "| job, peak heap / RSS MB |",
            "| job's merge (writes the file) |",
            "| read, polars |",
            "| read, duckdb |",
            "| ratio mergeVsFloor.t8 |",
            "| ratio peakHeap.t8VsT3 |",
            "| ratio tablesPerMinVsGuide.c2 |",
            "| ratio jobVsGuide |",
            "| re-run, tables extracted | 2.00 |",
            "| re-run, tables reused | 7.00 |",
            "| re-run, total s |",
            "| full run, total s |",
            "| ratio rerunVsFullRun |")) {
      assertThat(rows).as(row).anySatisfy(line -> assertThat(line).startsWith(row));
    }
    assertThat(String.join("\n", rows)).doesNotContain("n/a");
    assertThat(out.toString())
        .contains("bench: extraction, concurrency 2, run 1/1")
        .contains("bench: merge, 8 tables, run 1/1")
        .contains("bench: whole job, run 1/1")
        .contains("bench: re-run: 2 of 8 feature tables changed ...")
        .contains("bench:   2 tables extracted, 7 reused: ")
        .contains("bench:   read back with polars (nodejs-polars 0.26.1): ")
        .contains("bench:   read back with duckdb (@duckdb/node-api 1.5.6-r.1): ");
  }

  @Test
  void onlyJob_measuresTheWholeJobAndItsRerun_andNothingElse() throws Exception {
    int code =
        execute("--quick", "--only-job", "--rerun-changed", "3", "--workdir", dir.toString());

    assertThat(code).as(err.toString()).isZero();
    JsonNode json =
        Json.MAPPER.readTree(dir.resolve("bench-results").resolve("bench.json").toFile());
    List<String> keys = new ArrayList<>();
    json.get("figures").fieldNames().forEachRemaining(keys::add);
    assertThat(keys).allMatch(k -> k.startsWith("job.") || k.startsWith("rerun."));
    assertThat(json.get("figures").get("rerun.tablesExtracted").get("median").asDouble())
        .isEqualTo(3.0);
    assertThat(json.get("figures").get("rerun.tablesReused").get("median").asDouble())
        .isEqualTo(6.0);
    String md = Files.readString(dir.resolve("bench-results").resolve("bench.md"));
    assertThat(md)
        .contains("| Re-run, 3 of 8 feature tables changed | Value |")
        .contains("| ratio rerunVsFullRun |")
        .doesNotContain("extraction, concurrency")
        .doesNotContain("n/a");
  }

  @Test
  void rerunChangingMoreTablesThanSeeded_printsOneLineReason() {
    int code = execute("--quick", "--workdir", dir.toString(), "--rerun-changed", "9");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("bqx bench: --rerun-changed must be between 0 and --seed-tables (8)");
  }

  @Test
  void mergeTablesAboveSeeded_printsOneLineReason() {
    int code = execute("--quick", "--workdir", dir.toString(), "--merge-tables", "3,9");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo(
            "bqx bench: --merge-tables needs increasing counts between 1 and --seed-tables (8),"
                + " got [3, 9]");
  }

  private static double median(JsonNode json, String key) {
    JsonNode figure = json.get("figures").get(key);
    assertThat(figure).as(key).isNotNull();
    return figure.get("median").asDouble();
  }

  /**
   * {@code --cloud} at a tiny scale: the job with the Google adapters against the wire fakes, its
   * report per stage checked against what the fakes counted. Latencies near zero: counts, not
   * times.
   */
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
    // Every request the fakes counted during the job falls in one of its stages.
    assertThat(stageRequests).isEqualTo(total);
    // Storage Read is the extraction's alone: a session and a stream for each of the 8 feature
    // tables, and two for the targets (read for the spine, then for its checkpoint).
    assertThat(median(json, "cloud.job.extract.readSessions"))
        .isEqualTo(median(json, "cloud.job.total.readSessions"))
        .isEqualTo(median(json, "cloud.job.extract.readStreams"))
        .isEqualTo(10);
    // The merge reads every checkpoint and uploads the file: bytes both ways over GCS.
    assertThat(median(json, "cloud.job.merge.bytes")).isPositive();
    assertThat(median(json, "cloud.job.extract.bytes")).isPositive();
    assertThat(median(json, "cloud.job.total.bytes"))
        .isGreaterThanOrEqualTo(
            median(json, "cloud.job.extract.bytes") + median(json, "cloud.job.merge.bytes"));
    assertThat(median(json, "cloud.extract.c2.tablesPerMin")).isPositive();
    // The fake GCS of the merge is the bench's own: it counts the child's requests, at most one
    // per checkpoint per row group (3 of 1,000 rows) and one footer read each, for the 9
    // checkpoints, and the upload's 2 (a file under a part: initiate and one chunk).
    assertThat(median(json, "cloud.merge.requests")).isBetween(9.0 * 3 + 2, 9.0 * (1 + 3) + 2);
    assertThat(median(json, "cloud.merge.peakRssMb")).isPositive();
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
  void cloudOnlyMerge_measuresTheMergeOnGcsAgainstTheLocalOne_andNothingElse() throws Exception {
    int code =
        execute(
            "--quick",
            "--cloud",
            "--cloud-only",
            "merge",
            "--workdir",
            dir.toString(),
            "--gcs-latency-ms",
            "1");

    assertThat(code).as(err.toString()).isZero();
    JsonNode json =
        Json.MAPPER.readTree(dir.resolve("bench-results").resolve("bench.json").toFile());
    assertThat(median(json, "cloud.merge.seconds")).isPositive();
    assertThat(json.get("ratios").get("cloudMergeVsLocal.t8").asDouble()).isPositive();
    assertThat(json.get("figures").fieldNames())
        .toIterable()
        .noneMatch(key -> key.startsWith("cloud.job.") || key.startsWith("cloud.extract."));
    assertThat(json.get("ratios").has("cloudPairVsGuide")).isFalse();
    assertThat(out.toString()).doesNotContain("whole job on simulated Google Cloud");
  }

  @Test
  void cloudOnlyWithAnUnknownPart_printsOneLineReason() {
    int code =
        execute("--quick", "--cloud", "--workdir", dir.toString(), "--cloud-only", "merge,bogus");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().strip())
        .isEqualTo("bqx bench: --cloud-only takes encoding, extraction, merge, job; got 'bogus'");
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

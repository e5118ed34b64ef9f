package ml.bqx.cli.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.cli.testing.LedgerFixture;
import ml.bqx.core.json.Json;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.SeededWarehouse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bqx local run --dry-run} and {@code bqx run --dry-run} through {@code bqx}: what they
 * print, where the figures come from, and that they write nothing and launch nothing.
 */
class DryRunCommandTest {
  private static final List<Pair> PAIRS = List.of(Pair.parse("audcad"), Pair.parse("eurjpy"));
  @TempDir static Path seeded;
  @TempDir Path dir;
  private final Clock clock = Clock.fixed(LedgerFixture.T0.plusSeconds(600), ZoneOffset.UTC);

  /** A tiny warehouse seeded once, as a local run seeds it (file and marker). */
  @BeforeAll
  static void seed() throws IOException {
    new SeededWarehouse(seeded.resolve("warehouse.duckdb"))
        .add("tiny", SeedSpec.of(SeedScale.TINY, PAIRS, 42), SeedProgress.NONE);
  }

  private Path workdirWithWarehouse() throws IOException {
    Path workdir = dir.resolve("work");
    Files.createDirectories(workdir);
    Files.copy(seeded.resolve("warehouse.duckdb"), workdir.resolve("warehouse.duckdb"));
    Files.copy(seeded.resolve("warehouse.seeded"), workdir.resolve("warehouse.seeded"));
    return workdir;
  }

  private CliRun bqx(Map<String, String> env, String... args) {
    return CliRun.of(dir, clock, env, args);
  }

  @Test
  void localDryRun_printsEachPairsTablesAndBytes_withDefaultRatesSaidSo_andWritesNothing()
      throws Exception {
    Path workdir = workdirWithWarehouse();
    Map<String, String> before = tree(workdir);

    CliRun text =
        bqx(
            Map.of(),
            "local",
            "run",
            "--dry-run",
            "--pairs",
            "audcad,eurjpy",
            "--scale",
            "tiny",
            "--max-concurrent",
            "1",
            "--workdir",
            workdir.toString());
    CliRun json =
        bqx(
            Map.of(),
            "local",
            "run",
            "--dry-run",
            "--json",
            "--pairs",
            "audcad,eurjpy",
            "--scale",
            "tiny",
            "--max-concurrent",
            "1",
            "--workdir",
            workdir.toString());

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .startsWith("dry run: nothing was started and nothing was written")
        .contains("default rates: no finished run")
        .containsPattern("(?m)^audcad +7 +480 ")
        .containsPattern("(?m)^eurjpy +7 +480 ")
        .contains("run: 2 pairs, 1 at once (run cap 1, project cap 8), up to 3 attempts each")
        .contains("cost: none on this machine (on Google Cloud: Cloud Run ");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode report = Json.MAPPER.readTree(json.out());
    assertThat(report.path("schema").asText()).isEqualTo("bqx.dry-run/1");
    assertThat(report.path("rate").path("measured").asBoolean()).isFalse();
    double rate = report.path("rate").path("bytesPerSecond").asDouble();
    double jobSeconds = 0;
    for (JsonNode pair : report.path("pairs")) {
      // The bytes are what DuckDB holds, counted here straight from the file: rows x columns x 8.
      long expected = logicalBytes(workdir.resolve("warehouse.duckdb"), pair.path("pair").asText());
      assertThat(pair.path("bytes").asLong()).isEqualTo(expected).isPositive();
      assertThat(pair.path("seconds").asDouble()).isCloseTo(expected / rate, offset(1e-9));
      assertThat(pair.path("storageReadUsd").asDouble()).isZero();
      jobSeconds += pair.path("seconds").asDouble();
    }
    // One slot: the pairs run one after the other.
    assertThat(report.path("wallSeconds").asDouble()).isCloseTo(jobSeconds, offset(1e-9));
    assertThat(tree(workdir)).isEqualTo(before);
  }

  @Test
  void localDryRun_onAMissingWorkdir_plansTheSeed_andLeavesTheWorkdirAbsent() throws Exception {
    Path workdir = dir.resolve("not-yet");

    CliRun run =
        bqx(
            Map.of(),
            "local",
            "run",
            "--dry-run",
            "--json",
            "--pairs",
            "audcad",
            "--scale",
            "tiny",
            "--workdir",
            workdir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode pair = Json.MAPPER.readTree(run.out()).path("pairs").get(0);
    assertThat(pair.path("note").asText()).isEqualTo("to be seeded first: tiny");
    assertThat(pair.path("tables").asInt()).isEqualTo(SeedScale.TINY.tables() + 1);
    assertThat(pair.path("rows").asLong()).isEqualTo(SeedScale.TINY.rows());
    assertThat(Files.exists(workdir)).isFalse();
  }

  @Test
  void localDryRun_afterAFinishedRun_usesTheRateMeasuredOnIt() throws Exception {
    Path workdir = workdirWithWarehouse();
    // audcad: 480 x 26 in a 39 s slot; eurjpy: 480 x 26 over slots of 43 s and 34 s.
    LedgerFixture.finishedRun(workdir, "r1");
    Map<String, String> before = tree(workdir);

    CliRun text =
        bqx(
            Map.of(),
            "local",
            "run",
            "--dry-run",
            "--pairs",
            "audcad",
            "--scale",
            "tiny",
            "--workdir",
            workdir.toString());
    CliRun json =
        bqx(
            Map.of(),
            "local",
            "run",
            "--dry-run",
            "--json",
            "--pairs",
            "audcad",
            "--scale",
            "tiny",
            "--workdir",
            workdir.toString());

    assertThat(text.out()).contains("measured on run r1 (2 succeeded pairs)");
    JsonNode rate = Json.MAPPER.readTree(json.out()).path("rate");
    assertThat(rate.path("measured").asBoolean()).isTrue();
    assertThat(rate.path("bytesPerSecond").asDouble())
        .isCloseTo(2.0 * 480 * 26 * 8 / (39 + 43 + 34), offset(1e-9));
    assertThat(tree(workdir)).isEqualTo(before);
  }

  @Test
  void cloudDryRun_pricesEachPair_namesAPairThatWouldFail_andCreatesNoLedgerNorJob()
      throws Exception {
    Path workdir = workdirWithWarehouse();
    Files.createDirectories(workdir.resolve("staging"));
    Map<String, String> before = tree(workdir);
    Map<String, String> env =
        Map.of(
            "BQX_JOB_CPU", "2",
            "BQX_JOB_MEMORY_GIB", "4",
            "BQX_PRICE_VCPU_SECOND", "0.001",
            "BQX_PRICE_GIB_SECOND", "0.0001",
            "BQX_PROJECT_MAX_CONCURRENT", "3");
    String[] args = {
      "run",
      "--dry-run",
      "--pairs",
      "audcad,eurjpy,gbpusd",
      "--max-concurrent",
      "5",
      "--staging",
      "file://" + workdir.resolve("staging"),
      "--output",
      "file://" + workdir.resolve("output"),
      "--launcher",
      "process://" + workdir,
      "--warehouse",
      "duckdb://" + workdir.resolve("warehouse.duckdb")
    };

    CliRun text = bqx(env, args);
    CliRun json = bqx(env, append(args, "--json"));

    assertThat(text.exitCode()).as(text.err()).isEqualTo(1);
    assertThat(text.out())
        .containsPattern("(?m)^gbpusd +0 +0 .*PROBLEM: no tables named \\*_gbpusd")
        .contains("run: 3 pairs, 3 at once (run cap 5, project cap 3), up to 3 attempts each")
        .containsPattern(
            "cost: Cloud Run [0-9.]+ vCPU-s \\+ [0-9.]+ GiB-s <?\\$[0-9.]+ \\+ Storage Read")
        .contains("some pairs would fail");
    JsonNode report = Json.MAPPER.readTree(json.out());
    assertThat(report.path("slots").asInt()).isEqualTo(3);
    JsonNode audcad = report.path("pairs").get(0);
    double seconds = audcad.path("seconds").asDouble();
    assertThat(audcad.path("vcpuSeconds").asDouble()).isCloseTo(2 * seconds, offset(1e-9));
    assertThat(audcad.path("gibSeconds").asDouble()).isCloseTo(4 * seconds, offset(1e-9));
    assertThat(audcad.path("cloudRunUsd").asDouble())
        .isCloseTo(seconds * (2 * 0.001 + 4 * 0.0001), offset(1e-12));
    // A DuckDB warehouse bills no Storage Read.
    assertThat(report.path("storageReadUsd").asDouble()).isZero();
    assertThat(report.path("pairs").get(2).path("problem").asText())
        .isEqualTo("no tables named *_gbpusd in the warehouse");
    // No ledger, no execution, no object: the workdir is as it was.
    assertThat(tree(workdir)).isEqualTo(before);
  }

  @Test
  void dryRunFlags_outsideADryRun_areRefusedInOneLine() {
    CliRun local = bqx(Map.of(), "local", "run", "--json", "--workdir", dir.toString());
    CliRun resume =
        bqx(Map.of(), "local", "run", "--dry-run", "--resume", "r1", "--workdir", dir.toString());
    CliRun cloud =
        bqx(Map.of(), "run", "--json", "--staging", "file://" + dir, "--project", "bqx-test");

    assertThat(local.exitCode()).isEqualTo(2);
    assertThat(local.err().strip()).isEqualTo("bqx: --json goes with --dry-run");
    assertThat(resume.exitCode()).isEqualTo(2);
    assertThat(resume.err().strip())
        .isEqualTo("bqx: --dry-run plans a new run: leave out --resume");
    assertThat(cloud.exitCode()).isEqualTo(2);
    assertThat(cloud.err().strip()).isEqualTo("bqx: --json and --warehouse go with --dry-run");
  }

  /** Every file under the folder with its size and modification time. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.toList()) {
        files.put(
            root.relativize(path).toString(),
            Files.isDirectory(path)
                ? "dir"
                : Files.size(path) + " " + Files.getLastModifiedTime(path).toMillis());
      }
    }
    return files;
  }

  /** Rows x columns x 8 bytes over the pair's tables, counted with DuckDB's own SQL. */
  private static long logicalBytes(Path file, String pair) throws Exception {
    Properties readOnly = new Properties();
    readOnly.setProperty("duckdb.read_only", "true");
    long bytes = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file, readOnly);
        Statement s = c.createStatement();
        ResultSet tables =
            s.executeQuery(
                "SELECT table_name, count(*) FROM information_schema.columns WHERE table_schema = '"
                    + WarehouseLayout.DATASET
                    + "' AND table_name LIKE '%\\_"
                    + pair
                    + "' ESCAPE '\\' GROUP BY table_name")) {
      List<String[]> found = new java.util.ArrayList<>();
      while (tables.next()) {
        found.add(new String[] {tables.getString(1), tables.getString(2)});
      }
      for (String[] table : found) {
        try (Statement count = c.createStatement();
            ResultSet rows =
                count.executeQuery(
                    "SELECT count(*) FROM " + WarehouseLayout.DATASET + "." + table[0])) {
          rows.next();
          bytes += rows.getLong(1) * Long.parseLong(table[1]) * 8;
        }
      }
    }
    return bytes;
  }

  private static String[] append(String[] args, String more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 1);
    all[args.length] = more;
    return all;
  }
}

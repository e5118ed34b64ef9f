package ml.bqx.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.SeededWarehouse;
import ml.bqx.local.warehouse.WarehouseSeeder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bqx doctor} through {@code bqx}: a line per check, exit 0 only when all pass. */
class DoctorCommandTest {
  private static final List<Pair> PAIRS = List.of(Pair.parse("audcad"), Pair.parse("eurjpy"));
  @TempDir static Path seeded;
  @TempDir Path dir;

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

  private CliRun doctor(Map<String, String> env, String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "doctor";
    System.arraycopy(args, 0, all, 1, args.length);
    return CliRun.of(dir, java.time.Clock.systemUTC(), env, all);
  }

  @Test
  void local_everythingInPlace_everyLineOk_exitZero() throws IOException {
    Path workdir = workdirWithWarehouse();

    CliRun run =
        doctor(
            Map.of(),
            "--workdir",
            workdir.toString(),
            "--scale",
            "tiny",
            "--pairs",
            "audcad,eurjpy");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out().lines())
        .containsExactly(
            "ok    java: Java "
                + Runtime.version().feature()
                + " at "
                + Path.of(System.getProperty("java.home"), "bin", "java"),
            "ok    workdir: " + workdir + " is writable",
            run.out().lines().filter(l -> l.startsWith("ok    disk: ")).findFirst().orElse("-"),
            "ok    warehouse audcad: targets_audcad and 6 feature tables",
            "ok    warehouse eurjpy: targets_eurjpy and 6 feature tables",
            "all 5 checks passed");
    assertThat(run.out()).containsPattern("ok    disk: [0-9.]+ [kMGT]?B free under " + workdir);
  }

  @Test
  void local_beforeTheFirstRun_theWarehouseToSeedIsOk_andTheWorkdirIsNotCreated() {
    Path workdir = dir.resolve("first/run");

    CliRun run = doctor(Map.of(), "--workdir", workdir.toString(), "--scale", "tiny");

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.out())
        .contains(
            "ok    workdir: " + workdir + " will be created in " + dir + ", which is writable")
        .contains(
            "ok    warehouse usdjpy: not in "
                + workdir.resolve("warehouse.duckdb")
                + " yet: bqx local run seeds it (tiny)")
        .contains("26 pairs, 4 at once")
        .contains("all 29 checks passed");
    assertThat(Files.exists(dir.resolve("first"))).isFalse();
  }

  @Test
  void local_workdirUnderAFile_failsWithItsFix_exitOne() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a folder");

    CliRun run = doctor(Map.of(), "--workdir", file.resolve("work").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains(
            "FAIL  workdir: "
                + file
                + " is not a folder, so "
                + file.resolve("work")
                + " cannot be made -> fix: choose another --workdir, or make "
                + file
                + " a folder you can write")
        .contains("1 of 2 checks failed");
  }

  @Test
  void local_aPairWithoutTargets_andOneWithoutFeatures_fail_eachWithItsFix() throws Exception {
    Path workdir = workdirWithWarehouse();
    Path file = workdir.resolve("warehouse.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE bqx_ml_v3_features_v2.targets_audcad");
      for (int t = 0; t < SeedScale.TINY.tables(); t++) {
        s.execute(
            "DROP TABLE bqx_ml_v3_features_v2."
                + WarehouseSeeder.featureTableName(Pair.parse("eurjpy"), t));
      }
    }

    CliRun run =
        doctor(
            Map.of(),
            "--workdir",
            workdir.toString(),
            "--scale",
            "tiny",
            "--pairs",
            "audcad,eurjpy");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains(
            "FAIL  warehouse audcad: no targets table targets_audcad in "
                + file
                + " -> fix: seed it again: bqx warehouse seed --pairs audcad --out "
                + file)
        .contains("FAIL  warehouse eurjpy: no feature table named *_eurjpy in " + file)
        .contains("2 of 5 checks failed");
  }

  @Test
  void cloud_withoutAProject_failsInOneLine_beforeCallingGoogle() {
    CliRun run = doctor(Map.of(), "--pairs", "audcad");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .isEqualTo(
            "FAIL  project: BQX_PROJECT is not set -> fix: set BQX_PROJECT or --project (or"
                + " --workdir DIR for a local run's checks)\n1 of 1 checks failed\n");
  }

  /**
   * bqx doctor's cloud checks against stand-ins of Google's APIs, through BQX_DOCTOR_*_ENDPOINT.
   */
  private CliRun cloudDoctor(FakeDeployment fake) {
    Map<String, String> env = new java.util.HashMap<>(fake.endpoints());
    env.put("BQX_PROJECT", FakeDeployment.PROJECT);
    env.put("BQX_STAGING", "gs://bqx-staging");
    env.put("BQX_OUTPUT", "gs://bqx-output");
    env.put("BQX_WAREHOUSE", "duckdb://" + seeded.resolve("warehouse.duckdb"));
    return doctor(env, "--pairs", "audcad");
  }

  @Test
  void cloud_aCompleteDeployment_everyLineOk_exitZero() throws IOException {
    try (FakeDeployment fake = new FakeDeployment(true)) {
      CloudChecksTest.deployed(fake);
      fake.grantAnonymousWhatAnyAccountHolds();

      CliRun run = cloudDoctor(fake);

      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      assertThat(run.out().lines().toList())
          .startsWith(
              "ok    apis: all 15 APIs enabled on bqx-test",
              "ok    job image: " + CloudChecksTest.IMAGE + " (pinned tag build-20261201-1402)",
              "ok    job image in registry: Artifact Registry holds " + CloudChecksTest.TAG,
              "ok    function bqx-dispatch: ACTIVE")
          .contains(
              "ok    iam job on buckets/bqx-staging: bqx-job@bqx-test.iam.gserviceaccount.com"
                  + " holds storage.objects.create, storage.objects.delete, storage.objects.get,"
                  + " storage.objects.list",
              "ok    warehouse audcad: targets_audcad and 6 feature tables")
          .endsWith("all 33 checks passed");
    }
  }

  @Test
  void cloud_aFunctionThatFailedToDeploy_failsItsLine_exitOne() throws IOException {
    try (FakeDeployment fake = new FakeDeployment(true)) {
      CloudChecksTest.deployed(fake);
      fake.grantAnonymousWhatAnyAccountHolds();
      fake.functions.put("bqx-reconcile", com.google.cloud.functions.v2.Function.State.FAILED);
      fake.grants.get("anonymous").remove("projects/bqx-test");

      CliRun run = cloudDoctor(fake);

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out())
          .contains(
              "FAIL  function bqx-reconcile: state FAILED, not serving -> fix: see its build and"
                  + " deploy logs (gcloud functions describe bqx-reconcile --gen2), then"
                  + " terraform/deploy.sh again")
          .contains(
              "FAIL  iam job on projects/bqx-test: bqx-job@bqx-test.iam.gserviceaccount.com lacks"
                  + " bigquery.jobs.create, bigquery.readsessions.create,"
                  + " bigquery.readsessions.getData")
          .endsWith("2 of 33 checks failed\n");
    }
  }

  @Test
  void cloud_onlyOneStandInEndpoint_failsInOneLine() {
    CliRun run =
        doctor(
            Map.of("BQX_PROJECT", "bqx-test", "BQX_DOCTOR_GRPC_ENDPOINT", "127.0.0.1:1"),
            "--pairs",
            "audcad");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .startsWith(
            "FAIL  endpoints: set both stand-in endpoints (gRPC host:port and HTTP base URL) or"
                + " neither -> fix: set BQX_DOCTOR_GRPC_ENDPOINT and BQX_DOCTOR_HTTP_ENDPOINT"
                + " together, or neither");
  }
}

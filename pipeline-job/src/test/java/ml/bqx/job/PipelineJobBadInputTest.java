package ml.bqx.job;

import static ml.bqx.job.testing.PublishedEvents.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.job.extract.CheckpointMarker;
import ml.bqx.job.testing.CheckpointMarkers;
import ml.bqx.job.testing.JobFixture;
import ml.bqx.job.testing.PublishedEvents;
import ml.bqx.local.store.FolderObjectStore;
import ml.bqx.local.warehouse.WarehouseSeeder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input fails the job with a clear reason in the failed event and in the log. */
class PipelineJobBadInputTest {
  private static final String DATASET = "bqx_ml_v3_features_v2.";
  @TempDir Path dir;

  private JobFixture seeded() throws Exception {
    return new JobFixture(dir).seeded();
  }

  /** Runs eurusd attempt 1 and checks the failure: stage, reason, retryable, exit code, log. */
  private StageEvent failsWith(
      JobFixture fixture, Map<String, String> env, Stage stage, String reason, boolean retryable)
      throws Exception {
    JobFixture.Outcome outcome = JobFixture.runInProcess(env);

    assertThat(outcome.exitCode()).isEqualTo(PipelineJobMain.FAILED);
    var events = fixture.events();
    StageEvent stageFailed = only(events, stage, EventStatus.FAILED);
    StageEvent jobFailed = only(events, Stage.JOB, EventStatus.FAILED);
    assertThat(stageFailed.message()).contains(reason).doesNotContain("\n");
    assertThat(jobFailed.message()).isEqualTo(stageFailed.message());
    assertThat(jobFailed.retryable()).isEqualTo(retryable);
    assertThat(events)
        .noneMatch(e -> e.stage() == Stage.JOB && e.status() == EventStatus.SUCCEEDED);
    assertThat(outcome.log()).contains("job failed: " + jobFailed.message());
    assertThat(Files.exists(fixture.output.resolve("training_eurusd.parquet"))).isFalse();
    return jobFailed;
  }

  @Test
  void unknownPair_refusedWithReasonInLogAndAnErrorEvent_andExitCode2() throws Exception {
    JobFixture fixture = seeded();

    JobFixture.Outcome outcome = JobFixture.runInProcess(fixture.env("eurxyz", "bad-1", 1));

    assertThat(outcome.exitCode()).isEqualTo(PipelineJobMain.MISCONFIGURED);
    assertThat(outcome.log()).contains("job refused to start: 'eurxyz' is not a pair");
    assertThat(fixture.events()).isEmpty(); // no stage event can name a pair that does not exist
    List<BusMessage> published = PublishedEvents.readMessages(fixture.events);
    assertThat(published).hasSize(1);
    assertThat(published.get(0).attribute("kind")).isEqualTo("error");
    assertThat(published.get(0).dataAsString())
        .contains("\"schema\":\"bqx.error/1\"")
        .contains("job refused to start: 'eurxyz' is not a pair")
        .contains("TARGET_PAIR=eurxyz RUN_ID=bad-1");
  }

  @Test
  void pairWithNoTables_fails() throws Exception {
    JobFixture fixture = seeded();
    failsWith(
        fixture,
        fixture.env("usdjpy", "bad-1", 1),
        Stage.EXTRACT,
        "pair usdjpy has no tables",
        false);
  }

  @Test
  void noTargetsTable_fails() throws Exception {
    JobFixture fixture = seeded();
    fixture.sql("DROP TABLE " + DATASET + "targets_eurusd");
    failsWith(
        fixture,
        fixture.env("eurusd", "bad-1", 1),
        Stage.EXTRACT,
        "pair eurusd has no targets table: expected bqx_ml_v3_features_v2.targets_eurusd",
        false);
  }

  @Test
  void tableWithoutIntervalTime_fails() throws Exception {
    JobFixture fixture = seeded();
    fixture.sql("CREATE TABLE " + DATASET + "nokey_w45_eurusd AS SELECT 1.0::DOUBLE AS f01");
    failsWith(
        fixture,
        fixture.env("eurusd", "bad-1", 1),
        Stage.EXTRACT,
        "table nokey_w45_eurusd has no interval_time column",
        false);
  }

  @Test
  void aColumnTheJobCannotConvert_isRefusedBeforeAnyTableIsRead_namingTableAndColumn()
      throws Exception {
    JobFixture fixture = seeded();
    fixture.sql(
        "CREATE TABLE "
            + DATASET
            + "notes_w1_eurusd AS SELECT interval_time, 'x' AS label FROM "
            + DATASET
            + "targets_eurusd");
    failsWith(
        fixture,
        fixture.env("eurusd", "bad-1", 1),
        Stage.EXTRACT,
        "column label of table notes_w1_eurusd is STRING: only numeric features are supported",
        false);

    // refused from the catalog: not one table was read, so not one checkpoint exists
    try (var left = Files.walk(fixture.staging)) {
      assertThat(left.filter(Files::isRegularFile).map(Path::toString))
          .noneMatch(p -> p.endsWith(".parquet"));
    }
  }

  @Test
  void aTargetTheJobCannotConvert_isRefusedNamingTableAndColumn() throws Exception {
    JobFixture fixture = seeded();
    fixture.sql("ALTER TABLE " + DATASET + "targets_eurusd ALTER target_h30 TYPE VARCHAR");
    failsWith(
        fixture,
        fixture.env("eurusd", "bad-1", 1),
        Stage.EXTRACT,
        "column target_h30 of table targets_eurusd is STRING: only numeric features are supported",
        false);
  }

  @Test
  void duplicateKeysInAFeatureTable_fail() throws Exception {
    JobFixture fixture = seeded();
    String table = WarehouseSeeder.featureTableName(JobFixture.EURUSD, 1);
    fixture.sql(
        "INSERT INTO "
            + DATASET
            + table
            + " SELECT * FROM "
            + DATASET
            + table
            + " WHERE interval_time = (SELECT max(interval_time) FROM "
            + DATASET
            + "targets_eurusd)");
    failsWith(
        fixture,
        fixture.env("eurusd", "bad-1", 1),
        Stage.EXTRACT,
        "duplicate keys in table "
            + table
            + ": interval_time 2020-01-01T07:59:00Z appears more than once",
        false);
  }

  @Test
  void duplicateKeysInTheTargets_fail() throws Exception {
    JobFixture fixture = seeded();
    fixture.sql(
        "INSERT INTO "
            + DATASET
            + "targets_eurusd SELECT * FROM "
            + DATASET
            + "targets_eurusd ORDER BY interval_time LIMIT 1");
    failsWith(
        fixture,
        fixture.env("eurusd", "bad-1", 1),
        Stage.EXTRACT,
        "duplicate keys in table targets_eurusd: interval_time 2020-01-01T00:00:00Z",
        false);
  }

  @Test
  void columnCollision_namesBothTables() throws Exception {
    JobFixture fixture = seeded();
    fixture.sql(
        "CREATE TABLE "
            + DATASET
            + "f_eurusd AS SELECT interval_time, 1.0::DOUBLE AS \"g_eurusd__y\" FROM "
            + DATASET
            + "targets_eurusd",
        "CREATE TABLE "
            + DATASET
            + "\"f_eurusd__g_eurusd\" AS SELECT interval_time, 2.0::DOUBLE AS y FROM "
            + DATASET
            + "targets_eurusd");
    failsWith(
        fixture,
        fixture.env("eurusd", "bad-1", 1),
        Stage.EXTRACT,
        "column name collision: f_eurusd__g_eurusd__y comes from both table f_eurusd and table f_eurusd__g_eurusd",
        false);
  }

  @Test
  void featureTableWithOnlyTheKey_fails() throws Exception {
    JobFixture fixture = seeded();
    fixture.sql(
        "CREATE TABLE "
            + DATASET
            + "keys_eurusd AS SELECT interval_time FROM "
            + DATASET
            + "targets_eurusd");
    failsWith(
        fixture,
        fixture.env("eurusd", "bad-1", 1),
        Stage.EXTRACT,
        "table keys_eurusd has no feature columns",
        false);
  }

  @Test
  void missingHorizon_fails() throws Exception {
    JobFixture fixture = seeded();
    fixture.sql("ALTER TABLE " + DATASET + "targets_eurusd DROP COLUMN target_h60");
    failsWith(
        fixture,
        fixture.env("eurusd", "bad-1", 1),
        Stage.EXTRACT,
        "targets table targets_eurusd lacks horizon(s) target_h60",
        false);
  }

  @Test
  void tooFewRows_failsValidationWithTheNumbers_andKeepsCheckpoints() throws Exception {
    JobFixture fixture = seeded();
    Map<String, String> env = fixture.env("eurusd", "bad-1", 1);
    env.put("BQX_MIN_ROWS", "100000");
    env.put("BQX_MIN_COLUMNS", "10000");
    failsWith(
        fixture,
        env,
        Stage.VALIDATE,
        "rows 480 < minimum 100000; columns 26 < minimum 10000",
        false);
    assertThat(fixture.cached(new FolderObjectStore(), "targets_eurusd", ".parquet").size())
        .isPositive();
  }

  @Test
  void unreadableCheckpoint_failsRetryably_andTheNextAttemptExtractsItAgain() throws Exception {
    JobFixture fixture = seeded();
    Map<String, String> first = fixture.env("eurusd", "bad-1", 1);
    first.put("BQX_MIN_ROWS", "100000"); // fails validation: the checkpoints stay
    JobFixture.runInProcess(first);
    // A checkpoint that is garbage although its marker describes it exactly.
    String table = WarehouseSeeder.featureTableName(JobFixture.EURUSD, 2);
    FolderObjectStore store = new FolderObjectStore();
    java.net.URI checkpoint = fixture.cached(store, table, ".parquet").uri();
    java.net.URI markerUri = StoreLayout.markerOf(checkpoint);
    ObjectInfo garbage =
        store.write(checkpoint, "not parquet at all".getBytes(), WritePrecondition.none());
    CheckpointMarker marker = CheckpointMarker.parse(store.read(markerUri).orElseThrow().content());
    store.write(
        markerUri,
        CheckpointMarkers.describing(marker, garbage).toJson(),
        WritePrecondition.none());
    Files.delete(fixture.events);

    failsWith(
        fixture,
        fixture.env("eurusd", "bad-1", 2),
        Stage.MERGE,
        "checkpoint " + checkpoint + " of table " + table + " is unreadable",
        true);
    assertThat(store.stat(markerUri)).isEmpty();

    JobFixture.Outcome third = JobFixture.runInProcess(fixture.env("eurusd", "bad-1", 3));
    assertThat(third.exitCode()).isZero();
    assertThat(third.log())
        .contains("extracted " + table + " (")
        .contains("reused the checkpoint of targets_eurusd");
  }
}

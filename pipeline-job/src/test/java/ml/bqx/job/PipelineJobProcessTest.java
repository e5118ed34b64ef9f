package ml.bqx.job;

import static ml.bqx.job.testing.PublishedEvents.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.testing.ChildProcesses;
import ml.bqx.job.extract.CheckpointMarker;
import ml.bqx.job.testing.CommittedCheckpoints;
import ml.bqx.job.testing.JobFixture;
import ml.bqx.local.store.FolderObjectStore;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.WarehouseSeeder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The job's main as a child {@code java} process: killed and resumed, and under a small heap. */
@ExtendWith(ChildProcesses.class)
class PipelineJobProcessTest {
  /** Generous: these wait for states, not for time, on a machine that may be busy. */
  private static final Duration PATIENCE = Duration.ofMinutes(5);

  private static final String DATASET = "bqx_ml_v3_features_v2.";
  @TempDir Path dir;

  @Test
  void killedDuringExtract_attempt2ReextractsNoCheckpointedTable() throws Exception {
    JobFixture fixture = new JobFixture(dir).seeded();
    String first = WarehouseSeeder.featureTableName(JobFixture.EURUSD, 0);
    // A view that never finishes: the attempt is stuck on it while the other tables checkpoint.
    fixture.sql(
        "CREATE VIEW "
            + DATASET
            + "slow_w45_eurusd AS SELECT t.interval_time, t.f01 FROM "
            + DATASET
            + first
            + " t, (SELECT sum(hash(x)) AS s FROM range(1000000000000) r(x)) WHERE s IS NOT NULL");
    Map<String, String> env = fixture.env("eurusd", "kill-1", 1);
    env.put("BQX_EXTRACT_CONCURRENCY", "2");
    FolderObjectStore store = new FolderObjectStore();

    Process child =
        fixture.childProcess(env).redirectOutput(dir.resolve("attempt1.log").toFile()).start();
    Set<String> committed;
    try {
      // Every table but the stuck one committed: the attempt can go no further.
      Awaitility.await()
          .atMost(PATIENCE)
          .until(() -> committed(fixture, store), tables -> tables.size() == 7);
    } finally {
      ChildProcesses.destroyTree(child);
    }
    committed = committed(fixture, store);
    List<StageEvent> attempt1 = fixture.events();
    assertThat(attempt1)
        .anyMatch(e -> e.stage() == Stage.EXTRACT && e.status() == EventStatus.PROGRESS);
    assertThat(attempt1).noneMatch(StageEvent::isJobTerminal);
    Map<String, Long> generations = new HashMap<>();
    for (String table : committed) {
      generations.put(table, fixture.cached(store, table, ".parquet").generation());
    }
    assertThat(generations).containsKey("targets_eurusd").doesNotContainKey("slow_w45_eurusd");

    fixture.sql(
        "DROP VIEW " + DATASET + "slow_w45_eurusd",
        "CREATE TABLE "
            + DATASET
            + "slow_w45_eurusd AS SELECT interval_time, f01 FROM "
            + DATASET
            + first);
    Map<String, String> second = fixture.env("eurusd", "kill-1", 2);
    second.put(
        "BQX_MIN_ROWS", "100000"); // fail validation on purpose: the checkpoints stay to inspect
    JobFixture.Outcome outcome = JobFixture.runInProcess(second);

    assertThat(outcome.exitCode()).isEqualTo(PipelineJobMain.FAILED);
    StageEvent extracted =
        fixture.events().stream()
            .filter(
                e ->
                    e.attempt() == 2
                        && e.stage() == Stage.EXTRACT
                        && e.status() == EventStatus.SUCCEEDED)
            .findFirst()
            .orElseThrow();
    assertThat(extracted.metrics())
        .containsEntry("tablesReused", 7.0)
        .containsEntry("tablesExtracted", 1.0);
    for (var entry : generations.entrySet()) {
      ObjectInfo now = fixture.cached(store, entry.getKey(), ".parquet");
      assertThat(now.generation()).as(entry.getKey()).isEqualTo(entry.getValue());
      assertThat(outcome.log()).contains("reused the checkpoint of " + entry.getKey() + " (");
    }
    assertThat(outcome.log()).contains("extracted slow_w45_eurusd (");
    CheckpointMarker slow =
        CheckpointMarker.parse(
            store
                .read(fixture.cached(store, "slow_w45_eurusd", StoreLayout.MARKER_SUFFIX).uri())
                .orElseThrow()
                .content());
    assertThat(slow.attempt()).isEqualTo(2);

    Path mergedFiles = fixture.staging.resolve("runs/kill-1/pairs/eurusd/staging");
    assertThat(mergedFiles.resolve("training_eurusd.attempt-2.parquet")).exists();
    // What a job killed mid-merge leaves: an upload begun and never finished.
    ObjectUpload cut =
        store.upload(mergedFiles.resolve("training_eurusd.attempt-9.parquet").toUri());
    cut.write(new byte[4096]);

    JobFixture.Outcome third = JobFixture.runInProcess(fixture.env("eurusd", "kill-1", 3));
    assertThat(third.exitCode()).isZero();
    // Once the file is published nothing the pair staged in the run stays (its checkpoints stay in
    // the pair's cache): not attempt 2's merged file, not the cut upload, not a lock file or an
    // empty folder.
    assertThat(fixture.staging.resolve("runs/kill-1/pairs/eurusd")).doesNotExist();
    try (var left = Files.walk(fixture.staging.resolve("runs"))) {
      assertThat(left.filter(Files::isRegularFile)).isEmpty();
    }
    assertThat(
            only(
                    fixture.events().stream().filter(e -> e.attempt() == 3).toList(),
                    Stage.EXTRACT,
                    EventStatus.SUCCEEDED)
                .metrics())
        .containsEntry("tablesReused", 8.0);
  }

  @Test
  void childProcess_mergesManyTablesUnderSmallHeap() throws Exception {
    JobFixture fixture = new JobFixture(dir);
    int tables = 250;
    WarehouseSeeder.seed(
        fixture.warehouse,
        new SeedSpec(List.of(JobFixture.EURUSD), tables, JobFixture.ROWS, 4, 11),
        SeedProgress.NONE);
    Map<String, String> env = fixture.env("eurusd", "heap-1", 1);
    env.put("BQX_LOG_FORMAT", "json");
    env.put("BQX_MIN_COLUMNS", "1000");
    String output = succeededInChild(fixture, env, "-Xmx64m");
    assertThat(output.lines().filter(l -> l.startsWith("{")))
        .allMatch(l -> l.contains("\"severity\":"))
        .anyMatch(l -> l.contains("\"severity\":\"INFO\"") && l.contains("merge succeeded"));
    List<StageEvent> events = fixture.events();
    StageEvent merged = only(events, Stage.MERGE, EventStatus.SUCCEEDED);
    assertThat(merged.metrics().get("columns")).isEqualTo(8.0 + tables * 4);
    assertThat(merged.metrics().get("peakHeapBytes")).isPositive(); // the real bound is -Xmx64m
    assertThat(only(events, Stage.JOB, EventStatus.SUCCEEDED).output().columns())
        .isEqualTo(8 + tables * 4);
    System.out.println("merge of " + tables + " tables under -Xmx64m: " + merged.metrics());
  }

  @Test
  void childProcess_underSmallHeap_fitsItsConcurrencyToTheHeap_andSucceeds() throws Exception {
    JobFixture fixture = new JobFixture(dir);
    int rows = 30_000;
    WarehouseSeeder.seed(
        fixture.warehouse,
        new SeedSpec(List.of(JobFixture.EURUSD), 8, rows, 16, 5),
        SeedProgress.NONE);
    Map<String, String> env = fixture.env("eurusd", "fit-1", 1);
    env.remove("BQX_EXTRACT_CONCURRENCY"); // auto: fitted to this JVM
    env.put("BQX_ROW_GROUP_ROWS", Integer.toString(rows));
    env.put("BQX_MIN_COLUMNS", "100");
    String output = succeededInChild(fixture, env, "-Xmx96m");
    Matcher choice =
        Pattern.compile(
                "extract concurrency (\\d+): fitted to the machine: \\d+ CPUs allow (\\d+), a heap"
                    + " of \\d+ MiB allows (\\d+) tables of ~\\d+ MiB \\(30000 rows x 16 columns\\)")
            .matcher(output);
    assertThat(choice.find()).as(output).isTrue();
    int chosen = Integer.parseInt(choice.group(1));
    int byCpus = Integer.parseInt(choice.group(2));
    int byHeap = Integer.parseInt(choice.group(3));
    // The heap is what binds here: fewer tables than the CPUs would take, as many as fit.
    assertThat(byHeap).isLessThan(byCpus);
    assertThat(chosen).isEqualTo(byHeap);
    assertThat(only(fixture.events(), Stage.EXTRACT, EventStatus.SUCCEEDED).metrics())
        .containsEntry("concurrency", (double) chosen);
  }

  /** Runs the job in a child JVM with these options; returns its log once it has succeeded. */
  private String succeededInChild(JobFixture fixture, Map<String, String> env, String... options)
      throws Exception {
    Path log = dir.resolve("job.log");
    Process child = fixture.childProcess(env, options).redirectOutput(log.toFile()).start();
    try {
      assertThat(child.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    } finally {
      ChildProcesses.destroyTree(child);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(output).isZero();
    return output;
  }

  private static Set<String> committed(JobFixture fixture, FolderObjectStore store)
      throws IOException {
    return CommittedCheckpoints.of(store, fixture.staging.toUri(), JobFixture.EURUSD);
  }
}

package ml.bqx.job;

import static ml.bqx.job.testing.PublishedEvents.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.job.testing.JobFixture;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.WarehouseSeeder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The messages and metric names of every event the job publishes, word for word: the completion
 * function, the run report, the bench and people's dashboards read them.
 */
class JobEventShapesTest {
  private static final String HEAP = "peakHeapBytes";

  @TempDir java.nio.file.Path dir;

  /** One event as a line: stage, status, message and its metric names in sorted order. */
  private static String shape(StageEvent e) {
    return e.stage().wireName()
        + " "
        + e.status().wireName()
        + " | "
        + e.message()
        + " | "
        + e.metrics().keySet().stream().sorted().toList();
  }

  @Test
  void successfulAttempt_announcesEachStageWithItsMessagesAndMetricNames() throws Exception {
    JobFixture fixture = new JobFixture(dir).seeded();

    assertThat(JobFixture.runInProcess(fixture.env("eurusd", "shape-1", 1)).exitCode()).isZero();

    List<StageEvent> events = fixture.events();
    String published = fixture.output.resolve("training_eurusd.parquet").toUri().toString();
    int tables = SeedScale.TINY.tables() + 1;
    assertThat(events.stream().filter(e -> e.status() != EventStatus.PROGRESS).map(e -> shape(e)))
        .containsExactly(
            "job started | job started for eurusd | [" + HEAP + "]",
            "extract started | discovering the tables of eurusd | [concurrency, " + HEAP + "]",
            "extract succeeded | "
                + tables
                + " tables, 0 reused from the checkpoint cache | [bytes, columns,"
                + " concurrency, durationMs, "
                + HEAP
                + ", rows, tables, tablesExtracted, tablesPerMin, tablesReused]",
            "merge started | merge started | [" + HEAP + "]",
            "merge succeeded | merge done | [bytes, columns, durationMs, "
                + HEAP
                + ", rowGroups,"
                + " rows]",
            "validate started | validate started | [" + HEAP + "]",
            "validate succeeded | validate done | [bytes, columns, durationMs, " + HEAP + ", rows]",
            "upload started | upload started | [" + HEAP + "]",
            "upload succeeded | upload done | [bytes, durationMs, " + HEAP + "]",
            "cleanup started | cleanup started | [" + HEAP + "]",
            "cleanup succeeded | cleanup done | [cachedObjectsDeleted, durationMs, objectsDeleted, "
                + HEAP
                + "]",
            "job succeeded | published "
                + published
                + " | [bytes, cleanup.durationMs, columns, durationMs, extract.durationMs,"
                + " merge.durationMs, "
                + HEAP
                + ", rows, tables, tablesPerMin, upload.durationMs, validate.durationMs]");
    // The terminal event, the one the ledger and the report keep, carries each stage's figures
    // under the names the report reads (Metric), with the values the stages measured.
    StageEvent terminal = only(events, Stage.JOB, EventStatus.SUCCEEDED);
    for (Stage stage : List.of(Stage.EXTRACT, Stage.MERGE, Stage.UPLOAD, Stage.CLEANUP)) {
      assertThat(terminal.metrics())
          .containsEntry(
              Metric.durationOf(stage),
              only(events, stage, EventStatus.SUCCEEDED).metrics().get(Metric.DURATION_MS));
    }
    StageEvent extractDone = only(events, Stage.EXTRACT, EventStatus.SUCCEEDED);
    assertThat(terminal.metrics())
        .containsEntry(Metric.TABLES, (double) tables)
        .containsEntry(Metric.TABLES_PER_MIN, extractDone.metrics().get(Metric.TABLES_PER_MIN))
        .containsEntry(Metric.ROWS, (double) JobFixture.ROWS);
    List<StageEvent> progress =
        events.stream().filter(e -> e.status() == EventStatus.PROGRESS).toList();
    assertThat(progress).hasSize(tables);
    assertThat(progress.get(0).message())
        .isEqualTo("1/" + tables + " tables (last extracted: targets_eurusd)");
    StageEvent last = progress.get(tables - 1); // which table ends last depends on the threads
    assertThat(last.message())
        .matches(tables + "/" + tables + " tables \\(last extracted: \\w+_eurusd\\)");
    assertThat(last.metrics().keySet())
        .containsExactlyInAnyOrder("tables", "tablesTotal", "tablesPerMin", "concurrency", HEAP);
    StageEvent extracted = only(events, Stage.EXTRACT, EventStatus.SUCCEEDED);
    assertThat(extracted.metrics())
        .containsEntry("tables", (double) tables)
        .containsEntry("tablesReused", 0.0)
        .containsEntry("tablesExtracted", (double) tables)
        .containsEntry("rows", (double) JobFixture.ROWS)
        .containsEntry("columns", 1.0 + 7 + SeedScale.TINY.tables() * SeedScale.TINY.columns())
        .containsEntry("concurrency", 3.0);
    StageEvent cleaned = only(events, Stage.CLEANUP, EventStatus.SUCCEEDED);
    // the staging file; every checkpoint stays in the pair's cache, which held nothing else
    assertThat(cleaned.metrics())
        .containsEntry("objectsDeleted", 1.0)
        .containsEntry("cachedObjectsDeleted", 0.0);
  }

  @Test
  void failedStage_andTheJob_sayWhyWithTheirMetricNames() throws Exception {
    JobFixture fixture = new JobFixture(dir).seeded();
    String table = WarehouseSeeder.featureTableName(JobFixture.EURUSD, 3);
    fixture.sql("UPDATE bqx_ml_v3_features_v2." + table + " SET f02 = NULL");

    assertThat(JobFixture.runInProcess(fixture.env("eurusd", "shape-1", 1)).exitCode()).isOne();

    List<StageEvent> events = fixture.events();
    String staged = events.get(events.size() - 1).message();
    assertThat(staged).startsWith("file:").contains("shape-1").endsWith(table + "__f02");
    assertThat(events.subList(events.size() - 3, events.size()).stream().map(e -> shape(e)))
        .containsExactly(
            "validate started | validate started | [" + HEAP + "]",
            "validate failed | " + staged + " | [durationMs, " + HEAP + "]",
            "job failed | "
                + staged
                + " | [durationMs, extract.durationMs, merge.durationMs, "
                + HEAP
                + ", tables, tablesPerMin, validate.durationMs]");
    assertThat(events.get(events.size() - 1).retryable()).isFalse();
  }
}

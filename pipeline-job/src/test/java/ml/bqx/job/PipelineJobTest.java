package ml.bqx.job;

import static ml.bqx.job.testing.PublishedEvents.only;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.job.testing.JobFixture;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.WarehouseSeeder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineJobTest {
  @TempDir Path dir;

  @Test
  void main_onTinyWarehouse_publishesTrainingFileEqualToTheSourceTables() throws Exception {
    JobFixture fixture = new JobFixture(dir).seeded();

    JobFixture.Outcome outcome = JobFixture.runInProcess(fixture.env("eurusd", "test-1", 1));

    assertThat(outcome.exitCode()).as(outcome.log()).isZero();
    Path file = fixture.output.resolve("training_eurusd.parquet");
    assertThat(file).exists();
    int featureColumns = SeedScale.TINY.tables() * SeedScale.TINY.columns();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute("ATTACH '" + fixture.warehouse + "' AS wh (READ_ONLY)");
      String out = "read_parquet('" + file + "')";
      assertThat(scalar(sql, "SELECT count(*) FROM " + out)).isEqualTo(JobFixture.ROWS);
      assertThat(scalar(sql, "SELECT count(*) FROM (DESCRIBE SELECT * FROM " + out + ")"))
          .isEqualTo(1 + 7 + featureColumns);
      // one row per target key, in order, with the targets' values
      String targets = "wh.bqx_ml_v3_features_v2.targets_eurusd";
      StringBuilder differ =
          new StringBuilder(
              "SELECT count(*) FROM "
                  + out
                  + " o FULL JOIN "
                  + targets
                  + " t ON o.interval_time = t.interval_time WHERE o.interval_time IS NULL OR t.interval_time IS NULL");
      for (String h : WarehouseLayout.HORIZONS) {
        differ.append(" OR o.").append(h).append(" IS DISTINCT FROM t.").append(h);
      }
      assertThat(scalar(sql, differ.toString())).isZero();
      assertThat(scalar(sql, "SELECT count(*) FROM " + out + " WHERE target_h105 IS NULL"))
          .isEqualTo(7);
      // every feature value equals its source row; nulls where the table has no row
      long missingRows = 0;
      for (int t = 0; t < SeedScale.TINY.tables(); t++) {
        String table = WarehouseSeeder.featureTableName(JobFixture.EURUSD, t);
        for (int c = 0; c < SeedScale.TINY.columns(); c++) {
          String column = WarehouseSeeder.featureColumnName(c);
          String output = "\"" + table + "__" + column + "\"";
          assertThat(
                  scalar(
                      sql,
                      "SELECT count(*) FROM "
                          + out
                          + " o LEFT JOIN wh.bqx_ml_v3_features_v2."
                          + table
                          + " s ON o.interval_time = s.interval_time WHERE o."
                          + output
                          + " IS DISTINCT FROM s."
                          + column))
              .as(output)
              .isZero();
        }
        long noRow =
            scalar(
                sql,
                "SELECT count(*) FROM "
                    + out
                    + " o ANTI JOIN wh.bqx_ml_v3_features_v2."
                    + table
                    + " s ON o.interval_time = s.interval_time");
        assertThat(
                scalar(
                    sql,
                    "SELECT count(*) FROM "
                        + out
                        + " o ANTI JOIN wh.bqx_ml_v3_features_v2."
                        + table
                        + " s ON o.interval_time = s.interval_time WHERE o.\""
                        + table
                        + "__f01\" IS NOT NULL"))
            .isZero();
        missingRows += noRow;
      }
      assertThat(missingRows).isGreaterThan(SeedScale.TINY.tables()); // warm-ups and gaps exist
      assertThat(
              scalar(
                  sql,
                  "SELECT count(*) FROM (SELECT interval_time, lag(interval_time) OVER () p FROM "
                      + out
                      + ") WHERE p >= interval_time"))
          .isZero();
      assertThat(
              text(
                  sql,
                  "SELECT decode(value) FROM parquet_kv_metadata('"
                      + file
                      + "') WHERE decode(key) = 'bqx.run'"))
          .isEqualTo("test-1");
      assertThat(
              text(
                  sql,
                  "SELECT decode(value) FROM parquet_kv_metadata('"
                      + file
                      + "') WHERE decode(key) = 'bqx.tables'"))
          .isEqualTo(Integer.toString(SeedScale.TINY.tables() + 1));
      assertThat(
              scalar(
                  sql, "SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + file + "')"))
          .isEqualTo(5);
    }

    List<StageEvent> events = fixture.events();
    List<String> sequence = new ArrayList<>();
    events.stream()
        .filter(e -> e.status() != EventStatus.PROGRESS)
        .forEach(e -> sequence.add(e.stage().wireName() + ":" + e.status().wireName()));
    assertThat(sequence)
        .containsExactly(
            "job:started",
            "extract:started",
            "extract:succeeded",
            "merge:started",
            "merge:succeeded",
            "validate:started",
            "validate:succeeded",
            "upload:started",
            "upload:succeeded",
            "cleanup:started",
            "cleanup:succeeded",
            "job:succeeded");
    StageEvent done = only(events, Stage.JOB, EventStatus.SUCCEEDED);
    OutputFacts facts = done.output();
    byte[] bytes = Files.readAllBytes(file);
    assertThat(facts.uri()).isEqualTo(file.toUri().toString());
    assertThat(facts.bytes()).isEqualTo(bytes.length);
    assertThat(facts.crc32c()).isEqualTo(Crc32c.of(bytes));
    assertThat(facts.rows()).isEqualTo(JobFixture.ROWS);
    assertThat(facts.columns()).isEqualTo(8 + featureColumns);
    StageEvent extract = only(events, Stage.EXTRACT, EventStatus.SUCCEEDED);
    assertThat(extract.metrics())
        .containsKeys(
            "tables",
            "rows",
            "columns",
            "bytes",
            "durationMs",
            "tablesPerMin",
            "concurrency",
            "peakHeapBytes");
    assertThat(extract.metrics().get("concurrency")).isEqualTo(3.0);
    assertThat(
            events.stream()
                .filter(e -> e.stage() == Stage.EXTRACT && e.status() == EventStatus.PROGRESS))
        .last()
        .satisfies(
            e -> assertThat(e.metrics().get("tables")).isEqualTo(SeedScale.TINY.tables() + 1.0));
    // cleanup removed the staging file; the checkpoints stay in the pair's cache for the next
    // run: one checkpoint and one marker per table, nothing else
    try (var left = Files.walk(fixture.staging)) {
      assertThat(
              left.filter(Files::isRegularFile)
                  .filter(p -> !p.getFileName().toString().startsWith("."))
                  .map(p -> fixture.staging.relativize(p).toString()))
          .hasSize(2 * (SeedScale.TINY.tables() + 1))
          .allMatch(p -> p.startsWith("cache/pairs/eurusd/"));
    }
    assertThat(outcome.log()).contains("extracted targets_eurusd").contains("job succeeded");
  }

  @Test
  void main_withDecimalFeaturesAndAView_writesTheDecimalsAsDoubles_andSkipsTheView()
      throws Exception {
    JobFixture fixture = new JobFixture(dir).seeded();
    String table = "bqx_ml_v3_features_v2.px_w1_eurusd";
    fixture.sql(
        "CREATE TABLE "
            + table
            + " AS SELECT interval_time, (f01 * 1000)::DECIMAL(18,3) AS d1,"
            + " (f01 * 1000)::DECIMAL(38,9) AS d2 FROM bqx_ml_v3_features_v2."
            + WarehouseSeeder.featureTableName(JobFixture.EURUSD, 0),
        "CREATE VIEW bqx_ml_v3_features_v2.latest_eurusd AS SELECT * FROM " + table);

    JobFixture.Outcome outcome = JobFixture.runInProcess(fixture.env("eurusd", "test-1", 1));

    assertThat(outcome.exitCode()).as(outcome.log()).isZero();
    Path file = fixture.output.resolve("training_eurusd.parquet");
    int featureColumns = SeedScale.TINY.tables() * SeedScale.TINY.columns();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute("ATTACH '" + fixture.warehouse + "' AS wh (READ_ONLY)");
      String out = "read_parquet('" + file + "')";
      assertThat(scalar(sql, "SELECT count(*) FROM (DESCRIBE SELECT * FROM " + out + ")"))
          .isEqualTo(1 + 7 + featureColumns + 2);
      assertThat(
              text(
                  sql,
                  "SELECT string_agg(column_type, ',') FROM (DESCRIBE SELECT"
                      + " \"px_w1_eurusd__d1\", \"px_w1_eurusd__d2\" FROM "
                      + out
                      + ")"))
          .isEqualTo("DOUBLE,DOUBLE");
      for (String column : List.of("d1", "d2")) {
        assertThat(
                scalar(
                    sql,
                    "SELECT count(*) FROM "
                        + out
                        + " o LEFT JOIN wh."
                        + table
                        + " s ON o.interval_time = s.interval_time WHERE o.\"px_w1_eurusd__"
                        + column
                        + "\" IS DISTINCT FROM s."
                        + column
                        + "::DOUBLE"))
            .as(column)
            .isZero();
      }
      assertThat(
              scalar(
                  sql,
                  "SELECT count(*) FROM (DESCRIBE SELECT * FROM "
                      + out
                      + ") WHERE column_name LIKE 'latest_eurusd%'"))
          .isZero();
    }
  }

  private static long scalar(Statement sql, String query) throws Exception {
    try (ResultSet r = sql.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static String text(Statement sql, String query) throws Exception {
    try (ResultSet r = sql.executeQuery(query)) {
      r.next();
      return r.getString(1);
    }
  }
}

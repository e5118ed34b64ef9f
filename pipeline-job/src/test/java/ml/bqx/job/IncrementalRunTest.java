package ml.bqx.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.job.extract.CheckpointMarker;
import ml.bqx.job.testing.CheckpointMarkers;
import ml.bqx.job.testing.JobFixture;
import ml.bqx.local.store.FolderObjectStore;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.WarehouseSeeder;
import ml.bqx.trainingfile.TrainingFileMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs of the job's main over one warehouse and one staging store, the warehouse changed between
 * them: each run reads again exactly the tables whose snapshot changed since the last, reuses the
 * pair's cached checkpoints of the others, and says which in the training file's footer.
 */
class IncrementalRunTest {
  private static final String DATASET = "bqx_ml_v3_features_v2.";
  private static final String TARGETS = "targets_eurusd";

  @TempDir Path dir;
  private JobFixture fixture;
  private final List<String> features =
      IntStream.range(0, SeedScale.TINY.tables())
          .mapToObj(t -> WarehouseSeeder.featureTableName(JobFixture.EURUSD, t))
          .sorted() // the plan's (and the file's) order
          .toList();
  private final FolderObjectStore store = new FolderObjectStore();

  @BeforeEach
  void seed() throws Exception {
    fixture = new JobFixture(dir).seeded();
  }

  @Test
  void secondRun_withNothingChanged_extractsNoTable_andItsDataIsByteIdentical() throws Exception {
    Path first = run("r1");
    Path second = run("r2");

    assertThat(extractMetrics("r1")).containsEntry("tablesExtracted", 7.0);
    assertThat(extractMetrics("r2"))
        .containsEntry("tablesExtracted", 0.0)
        .containsEntry("tablesReused", 7.0);
    assertThat(footer(second, TrainingFileMetadata.TABLES_EXTRACTED)).isEmpty();
    assertThat(footer(second, TrainingFileMetadata.TABLES_REUSED))
        .isEqualTo(TARGETS + "," + String.join(",", features));
    assertThat(footer(first, TrainingFileMetadata.TABLES_REUSED)).isEmpty();
    // Only the footer's run metadata differs: every data page, in every row group, is the same.
    assertThat(footer(first, TrainingFileMetadata.RUN)).isEqualTo("r1");
    assertThat(footer(second, TrainingFileMetadata.RUN)).isEqualTo("r2");
    assertThat(Files.readAllBytes(second)).isNotEqualTo(Files.readAllBytes(first));
    assertThat(dataPages(second)).isEqualTo(dataPages(first));
    assertThat(scalar("SELECT count(*) FROM read_parquet('" + second + "')"))
        .isEqualTo(JobFixture.ROWS);
  }

  @Test
  void oneTableWithARowUpdated_reextractsExactlyThatTable() throws Exception {
    run("r1");
    String changed = features.get(2);
    updateFirstRow(changed, "f01 = 12345.5");

    Path second = run("r2");

    assertThat(footer(second, TrainingFileMetadata.TABLES_EXTRACTED)).isEqualTo(changed);
    assertThat(footer(second, TrainingFileMetadata.TABLES_REUSED).split(","))
        .containsExactlyElementsOf(reusedAllBut(changed));
    assertThat(extractMetrics("r2")).containsEntry("tablesExtracted", 1.0);
    assertThat(rowsWhere(second, "\"" + changed + "__f01\" = 12345.5")).isEqualTo(1);
  }

  @Test
  void oneTableWithAColumnAdded_reextractsExactlyThatTable_whoseColumnTheFileGains()
      throws Exception {
    Path first = run("r1");
    String changed = features.get(4);
    fixture.sql("ALTER TABLE " + DATASET + changed + " ADD COLUMN f99 DOUBLE DEFAULT 2.5");

    Path second = run("r2");

    assertThat(footer(second, TrainingFileMetadata.TABLES_EXTRACTED)).isEqualTo(changed);
    assertThat(extractMetrics("r2")).containsEntry("tablesReused", 6.0);
    assertThat(columns(second)).isEqualTo(columns(first) + 1);
    assertThat(rowsWhere(second, "\"" + changed + "__f99\" = 2.5")).isPositive();
  }

  @Test
  void aDroppedTable_leavesTheOutput_andThePairsCache() throws Exception {
    Path first = run("r1");
    String dropped = features.get(3);
    fixture.sql("DROP TABLE " + DATASET + dropped);

    Path second = run("r2");

    assertThat(footer(second, TrainingFileMetadata.TABLES_EXTRACTED)).isEmpty();
    assertThat(footer(second, TrainingFileMetadata.TABLES)).isEqualTo("6");
    assertThat(footer(second, TrainingFileMetadata.TABLES_REUSED).split(","))
        .containsExactlyElementsOf(reusedAllBut(dropped));
    assertThat(columns(second)).isEqualTo(columns(first) - SeedScale.TINY.columns());
    assertThat(
            scalar(
                "SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet('"
                    + second
                    + "')) WHERE column_name LIKE '"
                    + dropped
                    + "%'"))
        .isZero();
    assertThat(store.list(StoreLayout.pairCache(fixture.staging.toUri(), JobFixture.EURUSD)))
        .hasSize(2 * 6)
        .noneMatch(o -> o.uri().getPath().contains("/" + dropped + "/"));
  }

  @Test
  void aChangedSpine_reextractsEveryTable() throws Exception {
    run("r1");
    fixture.sql("DELETE FROM " + DATASET + TARGETS + " WHERE " + isLastRow(TARGETS));

    Path second = run("r2");

    assertThat(footer(second, TrainingFileMetadata.TABLES_REUSED)).isEmpty();
    assertThat(footer(second, TrainingFileMetadata.TABLES_EXTRACTED))
        .isEqualTo(TARGETS + "," + String.join(",", features));
    assertThat(scalar("SELECT count(*) FROM read_parquet('" + second + "')"))
        .isEqualTo(JobFixture.ROWS - 1);
  }

  @Test
  void targetValuesChangedOnTheSameKeys_reextractOnlyTheTargets_theSpineBeingTheSame()
      throws Exception {
    run("r1");
    updateFirstRow(TARGETS, "target_h15 = -7.25");

    Path second = run("r2");

    assertThat(footer(second, TrainingFileMetadata.TABLES_EXTRACTED)).isEqualTo(TARGETS);
    assertThat(footer(second, TrainingFileMetadata.TABLES_REUSED))
        .isEqualTo(String.join(",", features));
    assertThat(rowsWhere(second, "target_h15 = -7.25")).isEqualTo(1);
  }

  @Test
  void damagedCachedCheckpoints_areExtractedAgain_neverTrusted() throws Exception {
    Path first = run("r1");
    String flipped = features.get(1);
    String truncated = features.get(5);
    // Bytes changed in place (size and the store's record unchanged), and a file cut short.
    Path flippedFile = Path.of(fixture.cached(store, flipped, ".parquet").uri());
    byte[] bytes = Files.readAllBytes(flippedFile);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(flippedFile, bytes);
    Path truncatedFile = Path.of(fixture.cached(store, truncated, ".parquet").uri());
    try (FileChannel file = FileChannel.open(truncatedFile, StandardOpenOption.WRITE)) {
      file.truncate(Files.size(truncatedFile) / 2);
    }

    JobFixture.Outcome outcome = JobFixture.runInProcess(fixture.env("eurusd", "r2", 1));

    assertThat(outcome.exitCode()).as(outcome.log()).isZero();
    Path second = keep("r2");
    assertThat(footer(second, TrainingFileMetadata.TABLES_EXTRACTED))
        .isEqualTo(flipped + "," + truncated);
    assertThat(outcome.log())
        .contains("extracting " + flipped + " again: its cached checkpoint is damaged: its bytes")
        .contains("extracting " + truncated + " again: its cached checkpoint is damaged: ");
    // Extracted again from the same rows, the data is what the first run wrote.
    assertThat(dataPages(second)).isEqualTo(dataPages(first));
  }

  @Test
  void aCheckpointExtractedLongerAgoThanTheCacheKeepsIt_isExtractedAgain() throws Exception {
    run("r1");
    String old = features.get(0);
    ObjectInfo markerInfo = fixture.cached(store, old, StoreLayout.MARKER_SUFFIX);
    CheckpointMarker marker =
        CheckpointMarker.parse(store.read(markerInfo.uri()).orElseThrow().content());
    long daysAgo = Duration.ofDays(31).toMillis();
    CheckpointMarker aged =
        CheckpointMarkers.extractedAt(marker, marker.extractedAtMillis() - daysAgo);
    store.write(markerInfo.uri(), aged.toJson(), WritePrecondition.none());

    Path second = run("r2"); // BQX_CHECKPOINT_DAYS is 30 by default

    assertThat(footer(second, TrainingFileMetadata.TABLES_EXTRACTED)).isEqualTo(old);
  }

  // --- helpers ---

  private void updateFirstRow(String table, String assignment) throws Exception {
    fixture.sql(
        "UPDATE "
            + DATASET
            + table
            + " SET "
            + assignment
            + " WHERE interval_time = (SELECT min(interval_time) FROM "
            + DATASET
            + table
            + ")");
  }

  private static String isLastRow(String table) {
    return "interval_time = (SELECT max(interval_time) FROM " + DATASET + table + ")";
  }

  /** Runs the job's main as run {@code run}; returns a copy of the file it published. */
  private Path run(String run) throws IOException {
    JobFixture.Outcome outcome = JobFixture.runInProcess(fixture.env("eurusd", run, 1));
    assertThat(outcome.exitCode()).as(outcome.log()).isZero();
    return keep(run);
  }

  private Path keep(String run) throws IOException {
    Path copy = dir.resolve(run + ".parquet");
    Files.copy(fixture.output.resolve("training_eurusd.parquet"), copy);
    return copy;
  }

  private List<String> reusedAllBut(String table) {
    List<String> all = new java.util.ArrayList<>(List.of(TARGETS));
    features.stream().filter(f -> !f.equals(table)).forEach(all::add);
    return all;
  }

  private Map<String, Double> extractMetrics(String run) throws IOException {
    StageEvent extract =
        fixture.events().stream()
            .filter(
                e ->
                    e.run().equals(RunId.of(run))
                        && e.stage() == Stage.EXTRACT
                        && e.status() == EventStatus.SUCCEEDED)
            .findFirst()
            .orElseThrow();
    return new LinkedHashMap<>(extract.metrics());
  }

  /**
   * A Parquet file's bytes before its footer: the leading magic and every row group's column chunks
   * (their data pages), which are all that differs between two files of equal data.
   */
  private static byte[] dataPages(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int footerLength =
        ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    return Arrays.copyOf(bytes, bytes.length - 8 - footerLength);
  }

  private static String footer(Path file, String key) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement();
        ResultSet rows =
            sql.executeQuery(
                "SELECT decode(value) FROM parquet_kv_metadata('"
                    + file
                    + "') WHERE decode(key) = '"
                    + key
                    + "'")) {
      assertThat(rows.next()).as(key + " in the footer of " + file).isTrue();
      return rows.getString(1);
    }
  }

  private static long rowsWhere(Path file, String condition) throws Exception {
    return scalar("SELECT count(*) FROM read_parquet('" + file + "') WHERE " + condition);
  }

  private static long columns(Path file) throws Exception {
    return scalar("SELECT count(*) FROM (DESCRIBE SELECT * FROM read_parquet('" + file + "'))");
  }

  private static long scalar(String query) throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement();
        ResultSet rows = sql.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}

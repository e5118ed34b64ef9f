package ml.bqx.local.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.TableSnapshot;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded warehouse's table snapshots: unchanged while the table is, and changed by each kind
 * of change an incremental run must notice (a value, a row, a column).
 */
class DuckDbSnapshotTest {
  private static final Pair EURUSD = Pair.parse("eurusd");
  private static final String TABLE = WarehouseSeeder.featureTableName(EURUSD, 1);
  private static final String QUALIFIED = "bqx_ml_v3_features_v2." + TABLE;

  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void seed() throws IOException {
    file = dir.resolve("warehouse.duckdb");
    WarehouseSeeder.seed(file, SeedSpec.of(SeedScale.TINY, List.of(EURUSD), 5), SeedProgress.NONE);
  }

  @Test
  void snapshot_ofAnUnchangedTable_isTheSameInEveryOpening() throws Exception {
    TableSnapshot first = snapshot(TABLE);
    TableSnapshot again = snapshot(TABLE);

    assertThat(again).isEqualTo(first);
    assertThat(first.rows()).isEqualTo(count(QUALIFIED));
    assertThat(snapshot(WarehouseSeeder.featureTableName(EURUSD, 2))).isNotEqualTo(first);
  }

  @Test
  void snapshot_afterOneValueUpdated_changesItsModification_only() throws Exception {
    TableSnapshot before = snapshot(TABLE);
    sql(
        "UPDATE "
            + QUALIFIED
            + " SET f01 = f01 + 1 WHERE interval_time = (SELECT min(interval_time) FROM "
            + QUALIFIED
            + ")");

    TableSnapshot after = snapshot(TABLE);

    assertThat(after.modified()).isNotEqualTo(before.modified());
    assertThat(after.rows()).isEqualTo(before.rows());
    assertThat(after.schemaHash()).isEqualTo(before.schemaHash());
  }

  @Test
  void snapshot_afterARowDuplicatedAndAColumnAdded_changesRowsAndSchema() throws Exception {
    TableSnapshot before = snapshot(TABLE);
    sql("INSERT INTO " + QUALIFIED + " SELECT * FROM " + QUALIFIED + " LIMIT 1");
    TableSnapshot duplicated = snapshot(TABLE);
    sql("ALTER TABLE " + QUALIFIED + " ADD COLUMN extra DOUBLE DEFAULT 1.0");
    TableSnapshot widened = snapshot(TABLE);

    assertThat(duplicated.rows()).isEqualTo(before.rows() + 1);
    assertThat(duplicated.modified()).isNotEqualTo(before.modified());
    assertThat(widened.schemaHash()).isNotEqualTo(before.schemaHash());
  }

  private TableSnapshot snapshot(String name) throws IOException {
    try (Warehouse warehouse =
        Adapters.warehouse(URI.create("duckdb://" + file), BqxConfig.from(Map.of()))) {
      WarehouseTable table =
          warehouse.discover(EURUSD).stream()
              .filter(t -> t.name().equals(name))
              .findFirst()
              .orElseThrow();
      return warehouse.snapshot(table);
    }
  }

  private void sql(String statement) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement sql = connection.createStatement()) {
      sql.execute(statement);
    }
  }

  private long count(String table) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement sql = connection.createStatement();
        var rows = sql.executeQuery("SELECT count(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}

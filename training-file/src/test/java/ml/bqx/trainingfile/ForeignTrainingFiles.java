package ml.bqx.trainingfile;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.port.WarehouseLayout;

/**
 * Training-file-shaped Parquet files written by DuckDB, a writer that is not ours: the key, the 7
 * horizons and two features, with the job's origin metadata in the footer. Each call may change one
 * thing (the codec, the page version, a column's values) to see what the validator says.
 */
final class ForeignTrainingFiles implements AutoCloseable {
  static final String RUN = "foreign-1";
  static final String PAIR = "eurusd";
  static final int ATTEMPT = 2;
  static final int COLUMNS = 1 + WarehouseLayout.HORIZONS.size() + 2;

  private final Connection duckdb;

  ForeignTrainingFiles() throws SQLException {
    this.duckdb = DriverManager.getConnection("jdbc:duckdb:");
  }

  /** Each column's expression over {@code i}, the row number: a test replaces or drops one. */
  static List<String> columns() {
    List<String> columns = new ArrayList<>();
    columns.add("TIMESTAMPTZ '2026-01-05 00:00:00+00' + to_minutes(i * 15) AS interval_time");
    for (String horizon : WarehouseLayout.HORIZONS) {
      columns.add("(i % 97) / 10.0 AS " + horizon);
    }
    columns.add("CASE WHEN i % 5 = 0 THEN NULL ELSE i * 0.5 END AS px__close");
    columns.add("i * 1.0e-3 AS vol__w90");
    return columns;
  }

  /** Writes {@code rows} rows of these columns with these COPY options (codec, row groups...). */
  Path write(Path file, int rows, List<String> columns, String options) throws SQLException {
    try (Statement sql = duckdb.createStatement()) {
      sql.execute(
          "COPY (SELECT "
              + String.join(", ", columns)
              + " FROM range("
              + rows
              + ") t(i) ORDER BY i) TO '"
              + file
              + "' (FORMAT parquet, ROW_GROUP_SIZE 2048, "
              + options
              + ", KV_METADATA {'bqx.run': '"
              + RUN
              + "', 'bqx.pair': '"
              + PAIR
              + "', 'bqx.attempt': '"
              + ATTEMPT
              + "'})");
    }
    return file;
  }

  @Override
  public void close() throws SQLException {
    duckdb.close();
  }
}

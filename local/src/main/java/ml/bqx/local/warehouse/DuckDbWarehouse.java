package ml.bqx.local.warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.TableSize;
import ml.bqx.core.port.TableSnapshot;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseCatalog;
import ml.bqx.core.port.WarehouseColumn;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.port.WarehouseTable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * The embedded warehouse: a DuckDB file whose schema {@code bqx_ml_v3_features_v2} holds the same
 * tables as BigQuery's dataset, discovered by the same INFORMATION_SCHEMA query and read as Arrow.
 */
public final class DuckDbWarehouse implements Warehouse {
  private static final int BATCH_ROWS = 65_536;
  private static final String DISCOVER_SQL =
      "SELECT c.table_name, c.column_name, c.data_type, t.table_type"
          + " FROM information_schema.columns AS c JOIN information_schema.tables AS t"
          + " ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
          + " WHERE c.table_schema = ? AND c.table_name LIKE ? ESCAPE '\\'"
          + " ORDER BY c.table_name, c.ordinal_position";

  /** DuckDB's own row count of each table (duckdb_tables(): base tables only, no views). */
  private static final String SIZES_SQL =
      "SELECT table_name, estimated_size FROM duckdb_tables()"
          + " WHERE schema_name = ? AND table_name LIKE ? ESCAPE '\\'";

  private final Path file;
  private final DuckDBConnection connection;

  private DuckDbWarehouse(Path file, DuckDBConnection connection) {
    this.file = file;
    this.connection = connection;
  }

  /** Opens an existing warehouse file read-only, with the default limits. */
  public static DuckDbWarehouse open(Path file) throws IOException {
    return open(file, DuckDbLimits.DEFAULT);
  }

  /**
   * Opens an existing warehouse file read-only, so several processes may read it at once, its
   * memory and threads bounded.
   */
  public static DuckDbWarehouse open(Path file, DuckDbLimits limits) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("no DuckDB warehouse at " + file);
    }
    Properties properties = new Properties();
    properties.setProperty("duckdb.read_only", "true");
    limits.applyTo(properties);
    try {
      Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file, properties);
      return new DuckDbWarehouse(file, connection.unwrap(DuckDBConnection.class));
    } catch (SQLException e) {
      throw new IOException("cannot open DuckDB warehouse " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<WarehouseTable> discover(Pair pair) throws IOException {
    WarehouseCatalog catalog = new WarehouseCatalog(WarehouseLayout.DATASET);
    query(
        DISCOVER_SQL,
        pair,
        "list",
        rows ->
            catalog.add(
                rows.getString(1),
                rows.getString(4),
                rows.getString(2),
                bigQueryType(rows.getString(3))));
    return catalog.tables();
  }

  @Override
  public List<TableSize> sizes(Pair pair) throws IOException {
    Map<String, Long> rows = new HashMap<>();
    query(SIZES_SQL, pair, "size", result -> rows.put(result.getString(1), result.getLong(2)));
    List<TableSize> sizes = new ArrayList<>();
    for (WarehouseTable table : discover(pair)) {
      long count = rows.getOrDefault(table.name(), 0L);
      long width = table.columns().stream().mapToLong(WarehouseColumn::logicalBytes).sum();
      sizes.add(new TableSize(table.name(), count, count * width));
    }
    return sizes;
  }

  /** One row of a query on the pair's tables. */
  private interface RowHandler {
    void accept(ResultSet row) throws SQLException;
  }

  /** Runs a query whose parameters are the schema and the pair's table-name pattern. */
  private void query(String sql, Pair pair, String what, RowHandler handler) throws IOException {
    try (Connection query = connection.duplicate();
        PreparedStatement statement = query.prepareStatement(sql)) {
      statement.setString(1, WarehouseLayout.DATASET);
      statement.setString(2, WarehouseLayout.tableNamePattern(pair));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          handler.accept(rows);
        }
      }
    } catch (SQLException e) {
      throw new IOException("cannot " + what + " the tables of " + pair + " in " + file, e);
    }
  }

  /**
   * DuckDB keeps no modification time per table: the snapshot's {@code modified} is the sum of the
   * rows' hashes instead (order-free, and unlike an XOR a duplicated row does not cancel out), so
   * an updated value, an added or a deleted row all change it. One scan of the table, in DuckDB.
   */
  @Override
  public TableSnapshot snapshot(WarehouseTable table) throws IOException {
    String sql =
        "SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM "
            + quote(table.dataset())
            + "."
            + quote(table.name())
            + " AS t";
    try (Connection query = connection.duplicate();
        Statement statement = query.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return new TableSnapshot(
          "rows-digest:" + rows.getString(2),
          rows.getLong(1),
          TableSnapshot.schemaHash(table.columns()));
    } catch (SQLException e) {
      throw new IOException(
          "cannot take a snapshot of table " + table.name() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public ArrowReader read(WarehouseTable table, BufferAllocator allocator) throws IOException {
    String sql =
        "SELECT * FROM " + quote(table.dataset()) + "." + quote(table.name()); // names come
    // from discovery, quoted: never spliced raw.
    Connection query = null;
    Statement statement = null;
    try {
      query = connection.duplicate();
      statement = query.createStatement();
      ResultSet rows = statement.executeQuery(sql);
      ArrowReader arrow =
          (ArrowReader) rows.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, BATCH_ROWS);
      return new ClosingArrowReader(allocator, arrow, List.of(rows, statement, query));
    } catch (SQLException e) {
      closeQuietly(statement);
      closeQuietly(query);
      throw new IOException("cannot read table " + table.name() + ": " + e.getMessage(), e);
    }
  }

  /** A DuckDB setting as the open instance has it (its limits, for the log and the tests). */
  public String currentSetting(String name) throws IOException {
    try (Connection query = connection.duplicate();
        PreparedStatement statement = query.prepareStatement("SELECT current_setting(?)")) {
      statement.setString(1, name);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    } catch (SQLException e) {
      throw new IOException("cannot read DuckDB setting " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    closeQuietly(connection);
  }

  /** Maps DuckDB's type names to BigQuery's, so both adapters describe tables alike. */
  static String bigQueryType(String duckType) {
    String type = duckType.toUpperCase(Locale.ROOT);
    if (type.startsWith("TIMESTAMP")) {
      return "TIMESTAMP";
    }
    if (type.startsWith("DECIMAL")) {
      // DECIMAL(p,s), p <= 38, is BigQuery's NUMERIC(p, s); both come to Arrow as Decimal128.
      return "NUMERIC" + type.substring("DECIMAL".length()).replace(",", ", ");
    }
    return switch (type) {
      case "DOUBLE", "FLOAT", "REAL" -> "FLOAT64";
      case "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT" -> "INT64";
      case "VARCHAR" -> "STRING";
      case "BOOLEAN" -> "BOOL";
      case "DATE" -> "DATE";
      default -> type;
    };
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // closing a finished query: nothing left to save
      }
    }
  }
}

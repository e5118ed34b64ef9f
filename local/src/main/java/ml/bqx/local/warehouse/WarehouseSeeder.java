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
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.TableSize;
import ml.bqx.core.port.WarehouseLayout;

/**
 * Writes a deterministic synthetic warehouse into a DuckDB file: per pair a targets table and
 * feature tables named {@code <family>_w<window>_<pair>} with columns {@code f01..}. Tables start
 * late (rolling windows), some have gaps, some run past the targets' end and some come unsorted, so
 * aligning them to the spine is never trivial. Everything is generated inside DuckDB with {@code
 * range()} and {@code hash()}: one statement per table, no row-by-row inserts.
 */
public final class WarehouseSeeder {
  /** Families of feature tables, as in the real dataset (momentum, volatility, ...). */
  static final List<String> FAMILIES =
      List.of(
          "mom", "vol", "rsi", "ema", "sma", "bb", "atr", "macd", "reg", "corr", "cov", "agg",
          "mkt", "der", "lag", "dev");

  /** 2020-01-01T00:00:00Z: the first spine row; rows are one minute apart. */
  static final long EPOCH_SECONDS = 1_577_836_800L;

  private WarehouseSeeder() {}

  /** Seeds the pairs of the spec into the file (created if absent), replacing their tables. */
  public static SeedReport seed(Path file, SeedSpec spec, SeedProgress progress)
      throws IOException {
    long started = System.nanoTime();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    int total = spec.pairs().size() * (spec.tables() + 1);
    int done = 0;
    Properties limits = new Properties();
    DuckDbLimits.DEFAULT.applyTo(limits); // writing spills past the limit; never the machine's 80%
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file, limits);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE SCHEMA IF NOT EXISTS " + DuckDbWarehouse.quote(WarehouseLayout.DATASET));
      for (int p = 0; p < spec.pairs().size(); p++) {
        Pair pair = spec.pairs().get(p);
        dropTablesOf(connection, pair);
        long pairSeed = mix(spec.seed(), p + 1);
        statement.execute(targetsSql(pair, spec.rows(), pairSeed));
        progress.tableSeeded(pair, WarehouseLayout.targetsTable(pair), ++done, total);
        for (int t = 0; t < spec.tables(); t++) {
          String table = featureTableName(pair, t);
          statement.execute(featureSql(table, t, spec.rows(), spec.columns(), mix(pairSeed, t)));
          progress.tableSeeded(pair, table, ++done, total);
        }
      }
      statement.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw new IOException("cannot seed warehouse " + file + ": " + e.getMessage(), e);
    }
    return new SeedReport(
        file, spec.pairs().size(), total, spec.rows(), (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * The tables {@link #seed} writes for the pair and their sizes, before writing them: what a dry
   * run reads from a warehouse still to be seeded. Logical bytes of 8 a value (TIMESTAMP and
   * FLOAT64); the rows are an upper bound: every third feature table loses about 5% to its gaps.
   */
  public static List<TableSize> plannedSizes(SeedSpec spec, Pair pair) {
    int rows = spec.rows();
    List<TableSize> sizes = new ArrayList<>();
    long targetsWidth = Long.BYTES * (1L + WarehouseLayout.HORIZONS.size());
    sizes.add(new TableSize(WarehouseLayout.targetsTable(pair), rows, rows * targetsWidth));
    long featureWidth = Long.BYTES * (1L + spec.columns());
    for (int t = 0; t < spec.tables(); t++) {
      long tableRows = (t % 4 == 2 ? rows + 30 : rows) - warmUpRows(t, rows);
      sizes.add(new TableSize(featureTableName(pair, t), tableRows, tableRows * featureWidth));
    }
    return sizes;
  }

  /** The name of the pair's feature table number {@code index}: family, window, pair. */
  public static String featureTableName(Pair pair, int index) {
    return FAMILIES.get(index % FAMILIES.size()) + "_w" + window(index) + "_" + pair.name();
  }

  /** The name of feature column {@code index} (0-based) of every feature table. */
  public static String featureColumnName(int index) {
    return String.format(Locale.ROOT, "f%02d", index + 1);
  }

  /** Rows a feature table lacks at the spine's start: its rolling window's warm-up. */
  static int warmUpRows(int index, int rows) {
    return Math.min(window(index) / 15, rows / 4);
  }

  /** The rolling window, in minutes, of feature table {@code index}: unique within its family. */
  static int window(int index) {
    int family = index % FAMILIES.size();
    int round = index / FAMILIES.size();
    return 45 * (1 + (round + family) % 64);
  }

  private static String targetsSql(Pair pair, int rows, long seed) {
    StringBuilder sql = new StringBuilder("CREATE OR REPLACE TABLE ");
    sql.append(qualified(WarehouseLayout.targetsTable(pair))).append(" AS SELECT ");
    sql.append(timestamp()).append(" AS ").append(WarehouseLayout.KEY);
    for (int h = 0; h < WarehouseLayout.HORIZONS.size(); h++) {
      String horizon = WarehouseLayout.HORIZONS.get(h);
      int minutes = Integer.parseInt(horizon.substring(horizon.indexOf("_h") + 2));
      // The last rows of a horizon have no future yet: null, as in the real targets.
      sql.append(", CASE WHEN i >= ")
          .append(rows - minutes / 15)
          .append(" THEN NULL ELSE ")
          .append(value(seed, h))
          .append(" END AS ")
          .append(horizon);
    }
    sql.append(" FROM range(0, ").append(rows).append(") r(i)");
    sql.append(" ORDER BY hash(i, ").append(seed).append(')');
    return sql.toString();
  }

  private static String featureSql(String table, int index, int rows, int columns, long seed) {
    int first = warmUpRows(index, rows);
    int end = index % 4 == 2 ? rows + 30 : rows; // some run past the spine: the join drops them
    StringBuilder sql = new StringBuilder("CREATE OR REPLACE TABLE ");
    sql.append(qualified(table)).append(" AS SELECT ");
    sql.append(timestamp()).append(" AS ").append(WarehouseLayout.KEY);
    for (int c = 0; c < columns; c++) {
      // About 1% of cells are null inside a row that exists.
      sql.append(", CASE WHEN hash(i, ")
          .append(seed)
          .append(", ")
          .append(c)
          .append(", 7) % 101 = 0 THEN NULL ELSE ")
          .append(value(seed, c))
          .append(" END AS ")
          .append(featureColumnName(c));
    }
    sql.append(" FROM range(").append(first).append(", ").append(end).append(") r(i)");
    if (index % 3 == 1) {
      sql.append(" WHERE hash(i, ").append(seed).append(") % 20 <> 0"); // gaps: 5% of rows
    }
    if (index % 2 == 0) {
      sql.append(" ORDER BY hash(i, ").append(seed).append(", 1)"); // unsorted on purpose
    }
    return sql.toString();
  }

  /** A deterministic value in [-1000, 1000] with three decimals. */
  private static String value(long seed, int column) {
    return "(hash(i, " + seed + ", " + column + ") % 2000001)::DOUBLE / 1000.0 - 1000.0";
  }

  private static String timestamp() {
    return "to_timestamp(" + EPOCH_SECONDS + " + i * 60)";
  }

  private static String qualified(String table) {
    return DuckDbWarehouse.quote(WarehouseLayout.DATASET) + "." + DuckDbWarehouse.quote(table);
  }

  private static void dropTablesOf(Connection connection, Pair pair) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_name LIKE ? ESCAPE '\\'")) {
      query.setString(1, WarehouseLayout.DATASET);
      query.setString(2, WarehouseLayout.tableNamePattern(pair));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
    }
    try (Statement drop = connection.createStatement()) {
      for (String name : names) {
        drop.execute("DROP TABLE " + qualified(name));
      }
    }
  }

  /** SplitMix64: spreads a seed and an index into an independent non-negative seed. */
  static long mix(long seed, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) >>> 1;
  }
}

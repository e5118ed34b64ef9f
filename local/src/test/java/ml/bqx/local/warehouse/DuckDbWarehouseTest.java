package ml.bqx.local.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.ConfigException;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.TableSize;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseColumn;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.port.WarehouseTable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbWarehouseTest {
  private static final Pair EURUSD = Pair.parse("eurusd");
  private static final Pair GBPUSD = Pair.parse("gbpusd");
  @TempDir static Path dir;
  static Path file;
  static final List<String> progress = new ArrayList<>();

  @BeforeAll
  static void seed() throws IOException {
    file = dir.resolve("warehouse.duckdb");
    WarehouseSeeder.seed(
        file,
        SeedSpec.of(SeedScale.TINY, List.of(EURUSD, GBPUSD), 42),
        (pair, table, done, total) -> progress.add(done + "/" + total + " " + table));
  }

  private static Warehouse open() throws IOException {
    return Adapters.warehouse(URI.create("duckdb://" + file), BqxConfig.from(Map.of()));
  }

  @Test
  void seed_reportsProgressForEveryTable() {
    assertThat(progress).hasSize(14).first().isEqualTo("1/14 targets_eurusd");
    assertThat(progress).last().isEqualTo("14/14 " + WarehouseSeeder.featureTableName(GBPUSD, 5));
  }

  @Test
  void discover_findsOnlyThePairsTablesWithTheirColumns() throws IOException {
    try (Warehouse warehouse = open()) {
      List<WarehouseTable> tables = warehouse.discover(EURUSD);

      assertThat(tables).hasSize(7).allMatch(t -> t.name().endsWith("_eurusd"));
      assertThat(tables).allMatch(t -> t.dataset().equals(WarehouseLayout.DATASET));
      WarehouseTable targets =
          tables.stream().filter(t -> t.name().equals("targets_eurusd")).findFirst().orElseThrow();
      assertThat(targets.columns().get(0))
          .isEqualTo(new WarehouseColumn(WarehouseLayout.KEY, "TIMESTAMP"));
      assertThat(targets.columns().subList(1, 8).stream().map(WarehouseColumn::name))
          .containsExactlyElementsOf(WarehouseLayout.HORIZONS);
      WarehouseTable feature =
          tables.stream()
              .filter(t -> t.name().equals(WarehouseSeeder.featureTableName(EURUSD, 0)))
              .findFirst()
              .orElseThrow();
      assertThat(feature.columns())
          .containsExactly(
              new WarehouseColumn("interval_time", "TIMESTAMP"),
              new WarehouseColumn("f01", "FLOAT64"),
              new WarehouseColumn("f02", "FLOAT64"),
              new WarehouseColumn("f03", "FLOAT64"));
    }
  }

  @Test
  void discover_underscoreIsLiteral_otherPairsAndLookalikesNotFound() throws Exception {
    Path other = dir.resolve("lookalike.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA bqx_ml_v3_features_v2");
      s.execute("CREATE TABLE bqx_ml_v3_features_v2.momxeurusd (interval_time TIMESTAMP)");
      s.execute("CREATE TABLE bqx_ml_v3_features_v2.mom_eurusd (interval_time TIMESTAMP)");
    }
    try (Warehouse warehouse = DuckDbWarehouse.open(other)) {
      assertThat(warehouse.discover(EURUSD))
          .extracting(WarehouseTable::name)
          .containsExactly("mom_eurusd");
      assertThat(warehouse.discover(Pair.parse("usdjpy"))).isEmpty();
    }
  }

  @Test
  void discover_leavesViewsOut_andReportsDecimalsAsNumeric_whichArriveAsArrowDecimals()
      throws Exception {
    Path other = dir.resolve("views.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA bqx_ml_v3_features_v2");
      s.execute(
          "CREATE TABLE bqx_ml_v3_features_v2.px_eurusd AS SELECT TIMESTAMP '2020-01-01'"
              + " AS interval_time, 1.25::DECIMAL(18,3) AS d1");
      s.execute(
          "CREATE VIEW bqx_ml_v3_features_v2.latest_eurusd AS"
              + " SELECT * FROM bqx_ml_v3_features_v2.px_eurusd");
    }
    try (Warehouse warehouse = DuckDbWarehouse.open(other);
        BufferAllocator allocator = new RootAllocator()) {
      List<WarehouseTable> tables = warehouse.discover(EURUSD);

      assertThat(tables).extracting(WarehouseTable::name).containsExactly("px_eurusd");
      WarehouseColumn decimal = tables.get(0).columns().get(1);
      assertThat(decimal).isEqualTo(new WarehouseColumn("d1", "NUMERIC(18, 3)"));
      assertThat(decimal.isNumeric()).isTrue();
      try (ArrowReader reader = warehouse.read(tables.get(0), allocator)) {
        assertThat(reader.loadNextBatch()).isTrue();
        assertThat(reader.getVectorSchemaRoot().getVector("d1").getObject(0))
            .isEqualTo(new java.math.BigDecimal("1.250"));
      }
    }
  }

  @Test
  void sizes_areDuckDbsRowCounts_timesBigQuerysBytesPerValue_baseTablesOnly() throws Exception {
    Path other = dir.resolve("sizes.duckdb");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA bqx_ml_v3_features_v2");
      s.execute(
          "CREATE TABLE bqx_ml_v3_features_v2.px_eurusd AS SELECT TIMESTAMP '2020-01-01' + i *"
              + " INTERVAL 1 MINUTE AS interval_time, i::DOUBLE AS f1, 1.5::DECIMAL(18,3) AS d1"
              + " FROM range(1000) t(i)");
      s.execute(
          "CREATE VIEW bqx_ml_v3_features_v2.latest_eurusd AS"
              + " SELECT * FROM bqx_ml_v3_features_v2.px_eurusd");
      s.execute("CREATE TABLE bqx_ml_v3_features_v2.px_gbpusd (interval_time TIMESTAMP)");
    }
    try (Warehouse warehouse = DuckDbWarehouse.open(other)) {
      // TIMESTAMP and FLOAT64: 8 bytes a value each, NUMERIC 16 (BigQuery's data size rules).
      assertThat(warehouse.sizes(EURUSD))
          .containsExactly(new TableSize("px_eurusd", 1000, 1000L * (8 + 8 + 16)));
      assertThat(warehouse.sizes(Pair.parse("usdjpy"))).isEmpty();
    }
  }

  @Test
  void plannedSizes_matchWhatTheSeedWrote_rowsAnUpperBoundWithin5Percent() throws IOException {
    SeedSpec spec = SeedSpec.of(SeedScale.TINY, List.of(EURUSD), 42);
    List<TableSize> planned = WarehouseSeeder.plannedSizes(spec, EURUSD);
    try (Warehouse warehouse = open()) {
      List<TableSize> seeded = warehouse.sizes(EURUSD);

      assertThat(planned)
          .extracting(TableSize::table)
          .containsExactlyInAnyOrderElementsOf(seeded.stream().map(TableSize::table).toList());
      for (TableSize real : seeded) {
        TableSize plan =
            planned.stream().filter(p -> p.table().equals(real.table())).findFirst().orElseThrow();
        assertThat(plan.rows()).isBetween(real.rows(), Math.round(real.rows() * 1.06));
        assertThat(plan.bytes() / plan.rows()).isEqualTo(real.bytes() / real.rows());
      }
    }
  }

  @Test
  void read_streamsEveryRowAsArrow() throws Exception {
    String table = WarehouseSeeder.featureTableName(EURUSD, 1);
    long expectedRows;
    double expectedSum;
    try (Connection c = readOnly(file);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT count(*), sum(f02) FROM bqx_ml_v3_features_v2." + table)) {
      r.next();
      expectedRows = r.getLong(1);
      expectedSum = r.getDouble(2);
    }
    try (Warehouse warehouse = open();
        BufferAllocator allocator = new RootAllocator()) {
      WarehouseTable found =
          warehouse.discover(EURUSD).stream()
              .filter(t -> t.name().equals(table))
              .findFirst()
              .orElseThrow();
      long rows = 0;
      double sum = 0;
      try (ArrowReader reader = warehouse.read(found, allocator)) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        while (reader.loadNextBatch()) {
          assertThat(root.getVector("interval_time")).isInstanceOf(TimeStampVector.class);
          Float8Vector f02 = (Float8Vector) root.getVector("f02");
          for (int i = 0; i < root.getRowCount(); i++) {
            sum += f02.isNull(i) ? 0 : f02.get(i);
          }
          rows += root.getRowCount();
        }
      }
      assertThat(rows).isEqualTo(expectedRows).isGreaterThan(300);
      assertThat(sum).isCloseTo(expectedSum, org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void seed_isDeterministic_andTablesAreNotTrivialToJoin() throws Exception {
    Path again = dir.resolve("again.duckdb");
    WarehouseSeeder.seed(
        again, SeedSpec.of(SeedScale.TINY, List.of(EURUSD), 42), SeedProgress.NONE);
    String fingerprint =
        "SELECT sum(hash(interval_time, f01, f02, f03)) FROM bqx_ml_v3_features_v2.";
    String gappy = WarehouseSeeder.featureTableName(EURUSD, 1);
    try (Connection a = readOnly(file);
        Connection b = DriverManager.getConnection("jdbc:duckdb:" + again);
        Statement sa = a.createStatement();
        Statement sb = b.createStatement()) {
      assertThat(scalar(sa, fingerprint + gappy)).isEqualTo(scalar(sb, fingerprint + gappy));
      long spine =
          Long.parseLong(scalar(sa, "SELECT count(*) FROM bqx_ml_v3_features_v2.targets_eurusd"));
      long rows = Long.parseLong(scalar(sa, "SELECT count(*) FROM bqx_ml_v3_features_v2." + gappy));
      String start =
          scalar(
              sa,
              "SELECT min(interval_time) > (SELECT min(interval_time) FROM"
                  + " bqx_ml_v3_features_v2.targets_eurusd) FROM bqx_ml_v3_features_v2."
                  + gappy);
      assertThat(spine).isEqualTo(480);
      assertThat(rows).isLessThan(spine - WarehouseSeeder.warmUpRows(1, 480));
      assertThat(start).isEqualTo("true");
    }
  }

  @Test
  void open_boundsDuckDbsMemoryAndThreads_byDefault() throws Exception {
    try (Warehouse warehouse = open()) {
      DuckDbWarehouse duckdb = (DuckDbWarehouse) warehouse;
      // DuckDB's own default is 80% of RAM: 1 GB ("953.6 MiB" as DuckDB prints it) is ours.
      assertThat(duckdb.currentSetting("memory_limit")).isEqualTo("953.6 MiB");
      assertThat(duckdb.currentSetting("threads"))
          .isEqualTo(Integer.toString(DuckDbLimits.DEFAULT.threads()));
    }
  }

  @Test
  void open_takesTheLimitsItsUriNames() throws Exception {
    URI uri = URI.create("duckdb://" + file + "?memory_limit=512MB&threads=1");
    try (Warehouse warehouse = Adapters.warehouse(uri, BqxConfig.from(Map.of()))) {
      DuckDbWarehouse duckdb = (DuckDbWarehouse) warehouse;
      assertThat(duckdb.currentSetting("memory_limit")).isEqualTo("488.2 MiB");
      assertThat(duckdb.currentSetting("threads")).isEqualTo("1");
      assertThat(warehouse.discover(EURUSD)).isNotEmpty();
    }
  }

  @Test
  void open_refusesAnUnknownOptionOrABadSize_inOneLine() {
    ConfigException unknown =
        assertThrows(
            ConfigException.class,
            () -> DuckDbLimits.of(URI.create("duckdb:///w.duckdb?memory=1GB")));
    assertThat(unknown)
        .hasMessage(
            "'duckdb:///w.duckdb?memory=1GB': unknown option memory (known: memory_limit, threads)");
    ConfigException size =
        assertThrows(
            ConfigException.class,
            () -> DuckDbLimits.of(URI.create("duckdb:///w.duckdb?memory_limit=lots")));
    assertThat(size).hasMessage("memory_limit='lots' is not a size DuckDB takes (e.g. 512MB, 2GB)");
  }

  @Test
  void open_missingFile_saysWhere() {
    IOException e =
        assertThrows(IOException.class, () -> DuckDbWarehouse.open(dir.resolve("none.duckdb")));
    assertThat(e)
        .hasMessageContaining("no DuckDB warehouse at")
        .hasMessageContaining("none.duckdb");
  }

  @Test
  void seedScale_parse_refusesUnknown() {
    assertThat(SeedScale.parse("Seed")).isEqualTo(SeedScale.SEED);
    assertThat(SeedScale.SEED.tables()).isEqualTo(668);
    assertThat((long) SeedScale.SEED.tables() * SeedScale.SEED.columns()).isGreaterThan(10_000);
    assertThat(SeedScale.SEED.rows()).isGreaterThanOrEqualTo(100_000);
    assertThrows(IllegalArgumentException.class, () -> SeedScale.parse("huge"));
  }

  private static Connection readOnly(Path path) throws java.sql.SQLException {
    java.util.Properties properties = new java.util.Properties();
    properties.setProperty("duckdb.read_only", "true");
    return DriverManager.getConnection("jdbc:duckdb:" + path, properties);
  }

  private static String scalar(Statement s, String sql) throws Exception {
    try (ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getString(1);
    }
  }
}

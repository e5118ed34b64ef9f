package ml.bqx.gcp.bigquery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.storage.v1.BigQueryReadClient;
import com.google.cloud.bigquery.storage.v1.BigQueryReadSettings;
import com.google.cloud.bigquery.storage.v1.DataFormat;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.TableSize;
import ml.bqx.core.port.TableSnapshot;
import ml.bqx.core.port.WarehouseColumn;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.port.WarehouseTable;
import ml.bqx.wire.bigquery.FakeBigQueryRead;
import ml.bqx.wire.bigquery.FakeBigQueryRest;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BigQueryWarehouseTest {
  private static final String PROJECT = "bqx-test";
  private static final String TABLE =
      "projects/" + PROJECT + "/datasets/features/tables/mom_w5_eurusd";
  private static final long BASE_MICROS = 1_700_000_000_000_000L;

  /** The catalog BigQuery holds: tables, a view, other pairs' tables and near-miss names. */
  private static final List<String[]> CATALOG =
      List.of(
          new String[] {"eurusd_notes", "BASE TABLE", "interval_time", "TIMESTAMP"},
          new String[] {"latest_eurusd", "VIEW", "interval_time", "TIMESTAMP"},
          new String[] {"latest_eurusd", "VIEW", "f1", "FLOAT64"},
          new String[] {"mom_w5_eurusd", "BASE TABLE", "interval_time", "TIMESTAMP"},
          new String[] {"mom_w5_eurusd", "BASE TABLE", "f1", "FLOAT64"},
          new String[] {"mom_w5_eurusd", "BASE TABLE", "n1", "NUMERIC(10, 2)"},
          new String[] {"mom_w5_gbpusd", "BASE TABLE", "interval_time", "TIMESTAMP"},
          new String[] {"momxeurusd", "BASE TABLE", "interval_time", "TIMESTAMP"},
          new String[] {"targets_eurusd", "BASE TABLE", "interval_time", "TIMESTAMP"},
          new String[] {"targets_eurusd", "BASE TABLE", "target_h15", "FLOAT64"});

  /** The dataset's __TABLES__: (table_id, type, row_count, size_bytes); type 2 is a view. */
  private static final List<String[]> SIZES =
      List.of(
          new String[] {"latest_eurusd", "2", "0", "0"},
          new String[] {"mom_w5_eurusd", "1", "100800", "3225600"},
          new String[] {"mom_w5_gbpusd", "1", "100800", "1612800"},
          new String[] {"momxeurusd", "1", "5", "80"},
          new String[] {"targets_eurusd", "1", "100800", "1612800"});

  /** mom_w5_eurusd as the Storage Read API describes it. */
  private static final Schema SCHEMA =
      new Schema(
          List.of(
              new Field(
                  "interval_time",
                  FieldType.notNullable(FakeBigQueryRead.arrowType("TIMESTAMP")),
                  null),
              Field.nullable("f1", FakeBigQueryRead.arrowType("FLOAT64")),
              Field.nullable("n1", FakeBigQueryRead.arrowType("NUMERIC(10, 2)"))));

  private final BufferAllocator allocator = new RootAllocator();
  private FakeBigQueryRead read;
  private FakeBigQueryRest rest;
  private Server server;
  private ManagedChannel channel;
  private BigQueryWarehouse warehouse;

  @BeforeEach
  void start() throws IOException {
    // Stream 0: rows 0-2 and 3-4; stream 1: rows 5-8. Row 4 has a null feature.
    read =
        new FakeBigQueryRead(
            TABLE,
            serializedSchema(),
            List.of(List.of(batch(0, 3), batch(3, 2)), List.of(batch(5, 4))));
    rest = new FakeBigQueryRest(CATALOG, SIZES);
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(read).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
    BigQuery bigQuery =
        BigQueryOptions.newBuilder()
            .setProjectId(PROJECT)
            .setHost(rest.url())
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    BigQueryReadClient readClient =
        BigQueryReadClient.create(
            BigQueryReadSettings.newBuilder()
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    warehouse = new BigQueryWarehouse(PROJECT, "features", bigQuery, readClient);
  }

  @AfterEach
  void stop() {
    warehouse.close();
    channel.shutdownNow();
    server.shutdownNow();
    rest.close();
    allocator.close();
  }

  @Test
  void discover_findsThePairsBaseTablesOnly_notViewsNorNearMissNames() throws IOException {
    List<WarehouseTable> tables = warehouse.discover(Pair.parse("eurusd"));

    // latest_eurusd is a view (Storage Read cannot read it); eurusd_notes and momxeurusd do not end
    // in _eurusd: the rule DuckDbWarehouse applies too.
    assertThat(tables)
        .containsExactly(
            new WarehouseTable(
                "features",
                "mom_w5_eurusd",
                List.of(
                    new WarehouseColumn("interval_time", "TIMESTAMP"),
                    new WarehouseColumn("f1", "FLOAT64"),
                    new WarehouseColumn("n1", "NUMERIC(10, 2)"))),
            new WarehouseTable(
                "features",
                "targets_eurusd",
                List.of(
                    new WarehouseColumn("interval_time", "TIMESTAMP"),
                    new WarehouseColumn("target_h15", "FLOAT64"))));
    assertThat(rest.paths).containsExactly("POST /bigquery/v2/projects/bqx-test/queries");
    JsonNode sent = rest.queries.get(0);
    assertThat(sent.path("query").asText())
        .contains("FROM `bqx-test.features.INFORMATION_SCHEMA.COLUMNS` AS c")
        .contains("JOIN `bqx-test.features.INFORMATION_SCHEMA.TABLES` AS t")
        .contains("t.table_type")
        .contains("WHERE c.table_name LIKE @pattern")
        .contains("ORDER BY c.table_name, c.ordinal_position")
        .doesNotContain("eurusd");
    assertThat(tables.get(0).columns().get(2).isNumeric()).isTrue();
    assertThat(sent.path("useLegacySql").asBoolean(true)).isFalse();
    JsonNode parameter = sent.path("queryParameters").get(0);
    assertThat(parameter.path("name").asText()).isEqualTo("pattern");
    assertThat(parameter.path("parameterValue").path("value").asText())
        .isEqualTo(WarehouseLayout.tableNamePattern(Pair.parse("eurusd")))
        .isEqualTo("%\\_eurusd");
  }

  @Test
  void sizes_comeFromTheDatasetsTablesMetaTable_baseTablesOfThePairOnly() throws IOException {
    List<TableSize> sizes = warehouse.sizes(Pair.parse("eurusd"));

    assertThat(sizes)
        .containsExactly(
            new TableSize("mom_w5_eurusd", 100_800, 3_225_600),
            new TableSize("targets_eurusd", 100_800, 1_612_800));
    assertThat(rest.paths).containsExactly("POST /bigquery/v2/projects/bqx-test/queries");
    JsonNode sent = rest.queries.get(0);
    assertThat(sent.path("query").asText())
        .contains("FROM `bqx-test.features.__TABLES__`")
        .contains("type = 1")
        .contains("table_id LIKE @pattern")
        .doesNotContain("eurusd");
    assertThat(sent.path("queryParameters").get(0).path("parameterValue").path("value").asText())
        .isEqualTo("%\\_eurusd");
  }

  @Test
  void read_returnsEveryStreamsBatches_withIntervalTimeAsTimestamps() throws IOException {
    List<Long> times = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    List<BigDecimal> numerics = new ArrayList<>();
    try (ArrowReader reader = warehouse.read(table(), allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      assertThat(root.getSchema()).isEqualTo(SCHEMA);
      while (reader.loadNextBatch()) {
        TimeStampMicroTZVector time = (TimeStampMicroTZVector) root.getVector("interval_time");
        assertThat(time.getTimeZone()).isEqualTo("UTC");
        Float8Vector f1 = (Float8Vector) root.getVector("f1");
        DecimalVector n1 = (DecimalVector) root.getVector("n1");
        for (int i = 0; i < root.getRowCount(); i++) {
          times.add(time.get(i));
          values.add(f1.isNull(i) ? null : f1.get(i));
          numerics.add(n1.getObject(i));
        }
      }
    }

    List<Long> expectedTimes = new ArrayList<>();
    List<Double> expectedValues = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      expectedTimes.add(BASE_MICROS + i * 60_000_000L);
      expectedValues.add(i == 4 ? null : i * 0.5);
    }
    assertThat(times).isEqualTo(expectedTimes);
    assertThat(values).isEqualTo(expectedValues);
    // NUMERIC arrives as a decimal of scale 9, not a double: the job converts it.
    assertThat(numerics.get(3)).isEqualTo(new BigDecimal("0.750000000"));
    assertThat(read.sessions).hasSize(1);
    assertThat(read.sessions.get(0).getParent()).isEqualTo("projects/bqx-test");
    assertThat(read.sessions.get(0).getReadSession().getDataFormat()).isEqualTo(DataFormat.ARROW);
  }

  @Test
  void read_whenAStreamBreaks_resumesAtItsOffsetWithoutDuplicates() throws IOException {
    read.breakOnce.set(true);
    List<Long> times = new ArrayList<>();
    try (ArrowReader reader = warehouse.read(table(), allocator)) {
      while (reader.loadNextBatch()) {
        TimeStampMicroTZVector time =
            (TimeStampMicroTZVector) reader.getVectorSchemaRoot().getVector("interval_time");
        for (int i = 0; i < time.getValueCount(); i++) {
          times.add((time.get(i) - BASE_MICROS) / 60_000_000L);
        }
      }
    }

    assertThat(times).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(read.reads).extracting(r -> r.getOffset()).containsExactly(0L, 3L, 0L);
  }

  @Test
  void snapshot_isTablesGetsModificationTimeRowsAndSchema_andChangesWithEach() throws IOException {
    WarehouseTable mom = warehouse.discover(Pair.parse("eurusd")).get(0);
    rest.tableState("mom_w5_eurusd", 1_764_000_000_000L, 100_800);

    TableSnapshot first = warehouse.snapshot(mom);
    TableSnapshot again = warehouse.snapshot(mom);
    rest.tableState("mom_w5_eurusd", 1_764_000_060_000L, 100_800); // a row updated
    TableSnapshot updated = warehouse.snapshot(mom);

    assertThat(first).isEqualTo(again);
    assertThat(first.modified()).isEqualTo("1764000000000");
    assertThat(first.rows()).isEqualTo(100_800);
    assertThat(updated.modified()).isEqualTo("1764000060000");
    assertThat(updated.schemaHash()).isEqualTo(first.schemaHash());
    assertThat(first.schemaHash())
        .isEqualTo(
            TableSnapshot.schemaHash(
                List.of(
                    new WarehouseColumn("interval_time", "TIMESTAMP"),
                    new WarehouseColumn("f1", "FLOAT"),
                    new WarehouseColumn("n1", "NUMERIC(10, 2)"))));
    assertThat(rest.paths)
        .contains("GET /bigquery/v2/projects/bqx-test/datasets/features/tables/mom_w5_eurusd");
  }

  @Test
  void snapshot_ofATableGoneSinceDiscovery_failsNamingIt() throws IOException {
    WarehouseTable mom = warehouse.discover(Pair.parse("eurusd")).get(0); // no tables.get state

    IOException e = assertThrows(IOException.class, () -> warehouse.snapshot(mom));

    assertThat(e.getMessage())
        .isEqualTo("table mom_w5_eurusd of bqx-test.features is gone since discovery");
  }

  @Test
  void read_ofAnUnknownTable_failsNamingIt() {
    WarehouseTable ghost = new WarehouseTable("features", "ghost_eurusd", table().columns());
    IOException e = assertThrows(IOException.class, () -> warehouse.read(ghost, allocator));
    assertThat(e.getMessage())
        .startsWith(
            "cannot open a read session on projects/bqx-test/datasets/features/tables/ghost_eurusd")
        .contains("NOT_FOUND");
  }

  @Test
  void provider_refusesAUriWithoutDataset() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Adapters.warehouse(URI.create("bigquery://bqx-test"), BqxConfig.from(Map.of())));
    assertThat(e.getMessage())
        .isEqualTo("'bigquery://bqx-test' names no dataset: expected bigquery://PROJECT/DATASET");
  }

  @Test
  void constructor_refusesADatasetNameThatCouldBreakTheQuery() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BigQueryWarehouse(PROJECT, "features`; DROP", null, null));
    assertThat(e.getMessage()).startsWith("'features`; DROP' is not a BigQuery dataset name");
  }

  private static WarehouseTable table() {
    return new WarehouseTable(
        "features",
        "mom_w5_eurusd",
        List.of(
            new WarehouseColumn("interval_time", "TIMESTAMP"),
            new WarehouseColumn("f1", "FLOAT64"),
            new WarehouseColumn("n1", "NUMERIC(10, 2)")));
  }

  private static ByteString serializedSchema() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), SCHEMA);
    return ByteString.copyFrom(out.toByteArray());
  }

  /** Rows first..first+count-1: a minute apart, feature i*0.5, null at row 4. */
  private static FakeBigQueryRead.Batch batch(int first, int count) throws IOException {
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, alloc)) {
      TimeStampMicroTZVector time = (TimeStampMicroTZVector) root.getVector("interval_time");
      Float8Vector f1 = (Float8Vector) root.getVector("f1");
      DecimalVector n1 = (DecimalVector) root.getVector("n1");
      for (int i = 0; i < count; i++) {
        int row = first + i;
        time.setSafe(i, BASE_MICROS + row * 60_000_000L);
        n1.setSafe(i, BigDecimal.valueOf(row, 2).multiply(BigDecimal.valueOf(25)).setScale(9));
        if (row == 4) {
          f1.setNull(i);
        } else {
          f1.setSafe(i, row * 0.5);
        }
      }
      root.setRowCount(count);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
        MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), batch);
      }
      return new FakeBigQueryRead.Batch(ByteString.copyFrom(out.toByteArray()), count);
    }
  }
}

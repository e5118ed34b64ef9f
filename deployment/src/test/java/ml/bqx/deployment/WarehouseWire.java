package ml.bqx.deployment;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.storage.v1.BigQueryReadClient;
import com.google.cloud.bigquery.storage.v1.BigQueryReadGrpc;
import com.google.cloud.bigquery.storage.v1.BigQueryReadSettings;
import com.google.cloud.bigquery.storage.v1.CreateReadSessionRequest;
import com.google.cloud.bigquery.storage.v1.ReadRowsRequest;
import com.google.cloud.bigquery.storage.v1.ReadRowsResponse;
import com.google.cloud.bigquery.storage.v1.ReadSession;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.gcp.bigquery.BigQueryWarehouse;
import ml.bqx.gcp.testing.ApiCalls;
import ml.bqx.wire.bigquery.FakeBigQueryRead;
import ml.bqx.wire.bigquery.FakeBigQueryRest;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A pair's warehouse on BigQuery's wire fakes: INFORMATION_SCHEMA through the REST fake and each
 * table through its own Storage Read fake, the reads routed by table name. The job's BigQuery calls
 * are recorded from what the fakes received.
 */
final class WarehouseWire implements AutoCloseable {
  private static final long BASE_MICROS = 1_700_000_000_000_000L;

  private final Map<String, FakeBigQueryRead> tables = new LinkedHashMap<>();
  private final FakeBigQueryRest rest;
  private final Server server;
  private final ManagedChannel channel;
  private final String project;

  /** The targets table and one feature table of {@code pair}, {@code rows} rows each. */
  WarehouseWire(String project, Pair pair, int rows, ApiCalls calls) throws IOException {
    this.project = project;
    String dataset = Deployment.FEATURES_DATASET;
    List<String[]> columns = new ArrayList<>();
    String targets = WarehouseLayout.targetsTable(pair);
    List<String> targetColumns = WarehouseLayout.HORIZONS;
    addTable(dataset, targets, targetColumns, rows, columns);
    addTable(dataset, "mom_w5_" + pair.name(), List.of("mom_w5_close"), rows, columns);
    rest = new FakeBigQueryRest(columns);
    for (String table : List.of(targets, "mom_w5_" + pair.name())) {
      rest.tableState(table, BASE_MICROS / 1000, rows); // tables.get: modified, rows
    }
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new ByTable())
            .intercept(calls.interceptor())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  BigQueryWarehouse warehouse() throws IOException {
    return new BigQueryWarehouse(
        project,
        Deployment.FEATURES_DATASET,
        BigQueryOptions.newBuilder()
            .setProjectId(project)
            .setHost(rest.url())
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService(),
        BigQueryReadClient.create(
            BigQueryReadSettings.newBuilder()
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build()));
  }

  /**
   * The REST calls as API methods: each jobs.query on its project, the INFORMATION_SCHEMA view it
   * reads on its dataset (https://cloud.google.com/bigquery/docs/information-schema-columns:
   * bigquery.tables.get and bigquery.tables.list on the dataset), and each tables.get on the
   * dataset of its table (where the job's role is granted).
   */
  void recordRestCalls(ApiCalls calls) {
    for (String path : rest.paths) {
      String[] parts = path.split(" ")[1].split("/");
      if (path.startsWith("GET ") && parts.length > 8 && parts[7].equals("tables")) {
        // GET /bigquery/v2/projects/P/datasets/D/tables/T
        calls.record("bigquery.tables.get", "projects/" + parts[4] + "/datasets/" + parts[6]);
      } else {
        // POST /bigquery/v2/projects/P/queries
        calls.record("bigquery.jobs.query", "projects/" + parts[4]);
      }
    }
    for (var query : rest.queries) {
      var m =
          java.util.regex.Pattern.compile("`([^`.]+)\\.([^`.]+)\\.INFORMATION_SCHEMA\\.(\\w+)`")
              .matcher(query.path("query").asText());
      while (m.find()) {
        calls.record(
            "bigquery.INFORMATION_SCHEMA." + m.group(3),
            "projects/" + m.group(1) + "/datasets/" + m.group(2));
      }
    }
  }

  private void addTable(
      String dataset, String table, List<String> valueColumns, int rows, List<String[]> columns)
      throws IOException {
    List<Field> fields = new ArrayList<>();
    fields.add(
        new Field(
            "interval_time",
            FieldType.notNullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
            null));
    columns.add(new String[] {table, "BASE TABLE", "interval_time", "TIMESTAMP"});
    for (String column : valueColumns) {
      fields.add(
          Field.nullable(column, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
      columns.add(new String[] {table, "BASE TABLE", column, "FLOAT64"});
    }
    Schema schema = new Schema(fields);
    String name = "projects/" + project + "/datasets/" + dataset + "/tables/" + table;
    tables.put(
        name,
        new FakeBigQueryRead(
            name, FakeBigQueryRead.serialized(schema), List.of(List.of(batch(schema, rows)))));
  }

  private static FakeBigQueryRead.Batch batch(Schema schema, int rows) throws IOException {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
      root.allocateNew();
      TimeStampMicroTZVector time = (TimeStampMicroTZVector) root.getVector(0);
      for (int r = 0; r < rows; r++) {
        time.setSafe(r, BASE_MICROS + r * 900_000_000L);
        for (int c = 1; c < schema.getFields().size(); c++) {
          ((Float8Vector) root.getVector(c)).setSafe(r, r * 0.5 + c);
        }
      }
      root.setRowCount(rows);
      return FakeBigQueryRead.batch(root);
    }
  }

  /** Routes each session and stream to the fake of its table. */
  private final class ByTable extends BigQueryReadGrpc.BigQueryReadImplBase {
    @Override
    public void createReadSession(
        CreateReadSessionRequest request, StreamObserver<ReadSession> response) {
      FakeBigQueryRead table = tables.get(request.getReadSession().getTable());
      if (table == null) {
        response.onError(
            Status.NOT_FOUND.withDescription(request.getReadSession().getTable()).asException());
        return;
      }
      table.createReadSession(request, response);
    }

    @Override
    public void readRows(ReadRowsRequest request, StreamObserver<ReadRowsResponse> response) {
      String stream = request.getReadStream();
      FakeBigQueryRead table = tables.get(stream.substring(0, stream.indexOf("/streams/")));
      table.readRows(request, response);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    rest.close();
  }
}

package ml.bqx.wire.bigquery;

import com.google.cloud.bigquery.storage.v1.ArrowSchema;
import com.google.cloud.bigquery.storage.v1.BigQueryReadGrpc;
import com.google.cloud.bigquery.storage.v1.CreateReadSessionRequest;
import com.google.cloud.bigquery.storage.v1.DataFormat;
import com.google.cloud.bigquery.storage.v1.ReadRowsRequest;
import com.google.cloud.bigquery.storage.v1.ReadRowsResponse;
import com.google.cloud.bigquery.storage.v1.ReadSession;
import com.google.cloud.bigquery.storage.v1.ReadStream;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The BigQuery Storage Read service in memory: one table, its Arrow schema and batches already
 * serialized, spread over streams. Honours the offset a resuming client sends.
 */
public final class FakeBigQueryRead extends BigQueryReadGrpc.BigQueryReadImplBase {
  /**
   * The Arrow type a column of this BigQuery type arrives as, per the Storage Read API's Arrow
   * schema details (cloud.google.com/bigquery/docs/reference/storage, "Apache Arrow schema"):
   * NUMERIC as Decimal128(38, 9), BIGNUMERIC as Decimal256(76, 38), TIMESTAMP as microseconds in
   * UTC, whatever parameters the column's declared type has.
   */
  public static ArrowType arrowType(String bigQueryType) {
    String base = bigQueryType.replaceAll("\\(.*", "").trim();
    return switch (base) {
      case "FLOAT64" -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case "INT64" -> new ArrowType.Int(64, true);
      case "NUMERIC" -> new ArrowType.Decimal(38, 9, 128);
      case "BIGNUMERIC" -> new ArrowType.Decimal(76, 38, 256);
      case "TIMESTAMP" -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      case "STRING" -> ArrowType.Utf8.INSTANCE;
      default -> throw new IllegalArgumentException("no Arrow mapping for " + bigQueryType);
    };
  }

  /** One serialized record batch and its row count. */
  public record Batch(ByteString bytes, long rows) {}

  /** A schema as a read session carries it: an encapsulated IPC schema message. */
  public static ByteString serialized(Schema schema) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), schema);
    return ByteString.copyFrom(out.toByteArray());
  }

  /** The batch a root holds now, as a ReadRows response carries it (an IPC record batch). */
  public static Batch batch(VectorSchemaRoot root) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
      MessageSerializer.serialize(new WriteChannel(Channels.newChannel(out)), batch);
    }
    return new Batch(ByteString.copyFrom(out.toByteArray()), root.getRowCount());
  }

  private final String table;
  private final ByteString schema;
  private final Map<String, List<Batch>> streams = new ConcurrentHashMap<>();
  public final List<CreateReadSessionRequest> sessions = new CopyOnWriteArrayList<>();
  public final List<ReadRowsRequest> reads = new CopyOnWriteArrayList<>();

  /** Breaks the first stream once after its first batch, as a dropped connection would. */
  public final AtomicBoolean breakOnce = new AtomicBoolean();

  public FakeBigQueryRead(String table, ByteString schema, List<List<Batch>> batchesPerStream) {
    this.table = table;
    this.schema = schema;
    for (int i = 0; i < batchesPerStream.size(); i++) {
      streams.put(table + "/streams/" + i, batchesPerStream.get(i));
    }
  }

  @Override
  public void createReadSession(
      CreateReadSessionRequest request, StreamObserver<ReadSession> response) {
    sessions.add(request);
    if (!request.getReadSession().getTable().equals(table)) {
      response.onError(
          Status.NOT_FOUND
              .withDescription("Not found: Table " + request.getReadSession().getTable())
              .asRuntimeException());
      return;
    }
    List<ReadStream> names = new ArrayList<>();
    for (int i = 0; i < streams.size(); i++) {
      names.add(ReadStream.newBuilder().setName(table + "/streams/" + i).build());
    }
    response.onNext(
        ReadSession.newBuilder()
            .setName(table + "/sessions/1")
            .setTable(table)
            .setDataFormat(DataFormat.ARROW)
            .setArrowSchema(ArrowSchema.newBuilder().setSerializedSchema(schema))
            .addAllStreams(names)
            .build());
    response.onCompleted();
  }

  @Override
  public void readRows(ReadRowsRequest request, StreamObserver<ReadRowsResponse> response) {
    reads.add(request);
    List<Batch> batches = streams.get(request.getReadStream());
    if (batches == null) {
      response.onError(Status.NOT_FOUND.asRuntimeException());
      return;
    }
    long skipped = 0;
    int sent = 0;
    for (Batch batch : batches) {
      if (skipped < request.getOffset()) {
        skipped += batch.rows();
        continue;
      }
      response.onNext(
          ReadRowsResponse.newBuilder()
              .setRowCount(batch.rows())
              .setArrowRecordBatch(
                  com.google.cloud.bigquery.storage.v1.ArrowRecordBatch.newBuilder()
                      // The batch's own row_count is deprecated: the count is the response's.
                      .setSerializedRecordBatch(batch.bytes()))
              .build());
      sent++;
      if (sent == 1 && request.getReadStream().endsWith("/0") && breakOnce.getAndSet(false)) {
        response.onError(Status.UNAVAILABLE.withDescription("connection reset").asException());
        return;
      }
    }
    response.onCompleted();
  }
}

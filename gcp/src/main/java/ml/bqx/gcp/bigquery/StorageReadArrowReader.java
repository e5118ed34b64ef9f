package ml.bqx.gcp.bigquery;

import com.google.api.gax.rpc.ServerStream;
import com.google.cloud.bigquery.storage.v1.BigQueryReadClient;
import com.google.cloud.bigquery.storage.v1.ReadRowsRequest;
import com.google.cloud.bigquery.storage.v1.ReadRowsResponse;
import com.google.cloud.bigquery.storage.v1.ReadSession;
import com.google.cloud.bigquery.storage.v1.ReadStream;
import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Iterator;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Arrow batches of one Storage Read session, stream after stream, as an {@link ArrowReader}.
 * Each response carries one encapsulated IPC record batch; the session carries the schema.
 */
final class StorageReadArrowReader extends ArrowReader {
  private final BigQueryReadClient client;
  private final ReadSession session;
  private final Iterator<ReadStream> streams;
  private ServerStream<ReadRowsResponse> current;
  private Iterator<ReadRowsResponse> responses;
  private long bytesRead;

  StorageReadArrowReader(
      BigQueryReadClient client, ReadSession session, BufferAllocator allocator) {
    super(allocator);
    this.client = client;
    this.session = session;
    this.streams = session.getStreamsList().iterator();
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    while (true) {
      while (responses != null && responses.hasNext()) {
        ReadRowsResponse response = responses.next();
        if (response.hasArrowRecordBatch()) {
          ByteString serialized = response.getArrowRecordBatch().getSerializedRecordBatch();
          bytesRead += serialized.size();
          ArrowRecordBatch batch =
              MessageSerializer.deserializeRecordBatch(channel(serialized), allocator);
          loadRecordBatch(batch);
          return true;
        }
      }
      if (!streams.hasNext()) {
        return false;
      }
      // Offset 0: the client itself resumes a broken stream at the rows already received.
      current =
          client
              .readRowsCallable()
              .call(ReadRowsRequest.newBuilder().setReadStream(streams.next().getName()).build());
      responses = current.iterator();
    }
  }

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  @Override
  protected void closeReadSource() {
    if (current != null) {
      current.cancel();
    }
  }

  @Override
  protected Schema readSchema() throws IOException {
    ByteString serialized = session.getArrowSchema().getSerializedSchema();
    if (serialized.isEmpty()) {
      throw new IOException("read session " + session.getName() + " carries no Arrow schema");
    }
    return MessageSerializer.deserializeSchema(channel(serialized));
  }

  private static ReadChannel channel(ByteString bytes) {
    return new ReadChannel(Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray())));
  }
}

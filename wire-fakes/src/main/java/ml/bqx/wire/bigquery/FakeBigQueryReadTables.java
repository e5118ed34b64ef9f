package ml.bqx.wire.bigquery;

import com.google.cloud.bigquery.storage.v1.BigQueryReadGrpc;
import com.google.cloud.bigquery.storage.v1.CreateReadSessionRequest;
import com.google.cloud.bigquery.storage.v1.ReadRowsRequest;
import com.google.cloud.bigquery.storage.v1.ReadRowsResponse;
import com.google.cloud.bigquery.storage.v1.ReadSession;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ml.bqx.wire.link.WireLink;

/**
 * The Storage Read service over many tables, each opened on demand as a {@link FakeBigQueryRead}
 * when a session names it and dropped once its last stream is read through (so memory holds only
 * the tables being read). Session creation passes one link (its latency is the time
 * CreateReadSession takes), each ReadRows response another (its bandwidth is one stream's
 * throughput). Google documents the shape (a session of streams, each read by ReadRows;
 * cloud.google.com/bigquery/docs/reference/storage) but publishes neither figure: bqx bench --cloud
 * takes them as options, and the README says where each default comes from.
 */
public final class FakeBigQueryReadTables extends BigQueryReadGrpc.BigQueryReadImplBase {
  /** Opens a table by its path ({@code projects/P/datasets/D/tables/T}); null if there is none. */
  public interface Source {
    FakeBigQueryRead open(String table) throws IOException;
  }

  private final Source source;
  private final WireLink sessions;
  private final WireLink rows;
  private final Map<String, Open> open = new ConcurrentHashMap<>();

  private record Open(FakeBigQueryRead table, int streams) {}

  public FakeBigQueryReadTables(Source source, WireLink sessions, WireLink rows) {
    this.source = source;
    this.sessions = sessions;
    this.rows = rows;
  }

  public WireLink sessionLink() {
    return sessions;
  }

  public WireLink rowsLink() {
    return rows;
  }

  @Override
  public void createReadSession(
      CreateReadSessionRequest request, StreamObserver<ReadSession> response) {
    String name = request.getReadSession().getTable();
    sessions.request(request.getSerializedSize());
    FakeBigQueryRead table;
    try {
      table = source.open(name);
    } catch (IOException e) {
      response.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    if (table == null) {
      response.onError(
          Status.NOT_FOUND.withDescription("Not found: Table " + name).asRuntimeException());
      return;
    }
    table.createReadSession(
        request,
        new StreamObserver<>() {
          @Override
          public void onNext(ReadSession session) {
            open.put(name, new Open(table, session.getStreamsCount()));
            response.onNext(session);
          }

          @Override
          public void onError(Throwable t) {
            response.onError(t);
          }

          @Override
          public void onCompleted() {
            response.onCompleted();
          }
        });
  }

  @Override
  public void readRows(ReadRowsRequest request, StreamObserver<ReadRowsResponse> response) {
    String stream = request.getReadStream();
    int cut = stream.indexOf("/streams/");
    String name = cut < 0 ? stream : stream.substring(0, cut);
    Open table = open.get(name);
    if (table == null) {
      response.onError(Status.NOT_FOUND.withDescription(stream).asRuntimeException());
      return;
    }
    boolean last = stream.endsWith("/streams/" + (table.streams() - 1));
    table
        .table()
        .readRows(
            request,
            new StreamObserver<>() {
              private boolean first = true;

              @Override
              public void onNext(ReadRowsResponse answer) {
                if (first) {
                  rows.request(answer.getSerializedSize());
                  first = false;
                } else {
                  rows.more(answer.getSerializedSize());
                }
                response.onNext(answer);
              }

              @Override
              public void onError(Throwable t) {
                response.onError(t);
              }

              @Override
              public void onCompleted() {
                if (last) {
                  open.remove(name);
                }
                response.onCompleted();
              }
            });
  }
}

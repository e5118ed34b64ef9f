package ml.bqx.gcp.testing;

import com.google.cloud.bigquery.storage.v1.CreateReadSessionRequest;
import com.google.cloud.bigquery.storage.v1.ReadRowsRequest;
import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.GetExecutionRequest;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.pubsub.v1.PublishRequest;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The Google API methods one component called, each with the resource it was called on, as the wire
 * fakes saw them: a gRPC server interceptor for Pub/Sub, Cloud Run Admin and the Storage Read API,
 * a recording {@link com.google.cloud.storage.Storage} for GCS, a hook in the BigQuery REST fake.
 * Method names are the API's own (gRPC full method names with a dot, GCS JSON API methods);
 * resources are Google's resource names (projects/P/topics/T, buckets/B, ...).
 */
public final class ApiCalls {
  /** One method called on one resource. */
  public record Call(String method, String resource) implements Comparable<Call> {
    @Override
    public int compareTo(Call other) {
      int byMethod = method.compareTo(other.method);
      return byMethod != 0 ? byMethod : resource.compareTo(other.resource);
    }
  }

  private final Set<Call> calls = new ConcurrentSkipListSet<>();

  public void record(String method, String resource) {
    calls.add(new Call(method, resource));
  }

  /** Every distinct call so far, sorted. */
  public SortedSet<Call> calls() {
    return new TreeSet<>(calls);
  }

  /** Records each gRPC request with the resource its request message names. */
  public ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName().replace('/', '.');
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
            next.startCall(call, headers)) {
          @Override
          public void onMessage(Q message) {
            recordGrpc(method, message);
            super.onMessage(message);
          }
        };
      }
    };
  }

  private void recordGrpc(String method, Object request) {
    if (request instanceof PublishRequest publish) {
      record(method, publish.getTopic());
    } else if (request instanceof RunJobRequest run) {
      // Overrides need a permission of their own (run.jobs.runWithOverrides).
      record(run.hasOverrides() ? method + "+overrides" : method, run.getName());
    } else if (request instanceof GetExecutionRequest get) {
      record(method, jobOf(get.getName()));
    } else if (request instanceof CancelExecutionRequest cancel) {
      record(method, jobOf(cancel.getName()));
    } else if (request instanceof CreateReadSessionRequest session) {
      record(method, session.getParent());
      // The session reads the table: its data is read on the table's dataset.
      record(method + "#table", datasetOf(session.getReadSession().getTable()));
    } else if (request instanceof ReadRowsRequest rows) {
      record(method, projectOf(rows.getReadStream()));
    } else {
      record(method, "?");
    }
  }

  /** projects/P/locations/R/jobs/J of an execution name. */
  static String jobOf(String execution) {
    int at = execution.indexOf("/executions/");
    return at < 0 ? execution : execution.substring(0, at);
  }

  /** projects/P/datasets/D of a table name. */
  public static String datasetOf(String table) {
    int at = table.indexOf("/tables/");
    return at < 0 ? table : table.substring(0, at);
  }

  static String projectOf(String name) {
    String[] parts = name.split("/");
    return parts.length >= 2 ? parts[0] + "/" + parts[1] : name;
  }
}

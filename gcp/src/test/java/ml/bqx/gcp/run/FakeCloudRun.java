package ml.bqx.gcp.run;

import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionsGrpc;
import com.google.cloud.run.v2.GetExecutionRequest;
import com.google.cloud.run.v2.JobsGrpc;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The Cloud Run Admin v2 Jobs and Executions services, in memory, recording what they receive. */
public final class FakeCloudRun {
  public final List<RunJobRequest> runs = new CopyOnWriteArrayList<>();
  public final List<String> cancels = new CopyOnWriteArrayList<>();
  public final Map<String, Execution> executions = new ConcurrentHashMap<>();
  private final AtomicInteger counter = new AtomicInteger();
  public volatile Status refuseRuns;
  volatile boolean nameNoExecution;

  public final JobsGrpc.JobsImplBase jobs =
      new JobsGrpc.JobsImplBase() {
        @Override
        public void runJob(RunJobRequest request, StreamObserver<Operation> response) {
          runs.add(request);
          if (refuseRuns != null) {
            response.onError(refuseRuns.asRuntimeException());
            return;
          }
          String name =
              nameNoExecution
                  ? ""
                  : request.getName() + "/executions/exec-" + counter.incrementAndGet();
          Execution execution = Execution.newBuilder().setName(name).setTaskCount(1).build();
          if (!name.isEmpty()) {
            executions.put(name, execution);
          }
          // Not done: a launcher that waited on it would hang here.
          response.onNext(
              Operation.newBuilder()
                  .setName("operations/run-" + counter.get())
                  .setDone(false)
                  .setMetadata(Any.pack(execution))
                  .build());
          response.onCompleted();
        }
      };

  public final ExecutionsGrpc.ExecutionsImplBase executionsService =
      new ExecutionsGrpc.ExecutionsImplBase() {
        @Override
        public void getExecution(GetExecutionRequest request, StreamObserver<Execution> response) {
          Execution execution = executions.get(request.getName());
          if (execution == null) {
            response.onError(Status.NOT_FOUND.withDescription(request.getName()).asException());
            return;
          }
          response.onNext(execution);
          response.onCompleted();
        }

        @Override
        public void cancelExecution(
            CancelExecutionRequest request, StreamObserver<Operation> response) {
          cancels.add(request.getName());
          Execution execution = executions.get(request.getName());
          if (execution == null) {
            response.onError(Status.NOT_FOUND.withDescription(request.getName()).asException());
            return;
          }
          if (execution.hasCompletionTime()) {
            response.onError(
                Status.FAILED_PRECONDITION.withDescription("already finished").asException());
            return;
          }
          response.onNext(
              Operation.newBuilder()
                  .setName("operations/cancel-" + request.getName())
                  .setMetadata(Any.pack(execution))
                  .build());
          response.onCompleted();
        }
      };
}

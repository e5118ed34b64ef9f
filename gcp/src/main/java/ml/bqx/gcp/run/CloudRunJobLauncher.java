package ml.bqx.gcp.run;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.run.v2.CancelExecutionRequest;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.ExecutionsClient;
import com.google.cloud.run.v2.ExecutionsSettings;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.run.v2.RunJobRequest.Overrides;
import com.google.cloud.run.v2.RunJobRequest.Overrides.ContainerOverride;
import com.google.longrunning.Operation;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.util.Map;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.port.JobLauncher;
import ml.bqx.core.port.LaunchRequest;

/**
 * Launches the pipeline job on Cloud Run Jobs (Admin API v2): one execution per pair attempt, with
 * TARGET_PAIR, RUN_ID and ATTEMPT as container environment overrides. It never waits for an
 * execution's long-running operation: a function has minutes, an execution may take an hour.
 */
public final class CloudRunJobLauncher implements JobLauncher, AutoCloseable {
  private final String jobName;
  private final JobsClient jobs;
  private final ExecutionsClient executions;

  /** A launcher of the job {@code projects/P/locations/R/jobs/J} over these clients. */
  public CloudRunJobLauncher(String jobName, JobsClient jobs, ExecutionsClient executions) {
    this.jobName = jobName;
    this.jobs = jobs;
    this.executions = executions;
  }

  /**
   * A launcher whose clients use this transport and credentials (an in-process channel in tests).
   */
  public static CloudRunJobLauncher create(
      String jobName, TransportChannelProvider transport, CredentialsProvider credentials)
      throws IOException {
    JobsClient jobs =
        JobsClient.create(
            JobsSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(credentials)
                .build());
    ExecutionsClient executions =
        ExecutionsClient.create(
            ExecutionsSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(credentials)
                .build());
    return new CloudRunJobLauncher(jobName, jobs, executions);
  }

  @Override
  public String launch(LaunchRequest request) throws IOException {
    ContainerOverride.Builder container = ContainerOverride.newBuilder();
    for (Map.Entry<String, String> env : request.environment().entrySet()) {
      container.addEnv(EnvVar.newBuilder().setName(env.getKey()).setValue(env.getValue()));
    }
    RunJobRequest run =
        RunJobRequest.newBuilder()
            .setName(jobName)
            .setOverrides(Overrides.newBuilder().addContainerOverrides(container))
            .build();
    Operation operation;
    try {
      // The callable returns the operation at once; runJobAsync would poll it until the end.
      operation = jobs.runJobCallable().call(run);
    } catch (ApiException e) {
      throw new IOException(
          "Cloud Run refused to run " + jobName + " for " + describe(request) + ": " + reason(e),
          e);
    }
    String execution = executionName(operation);
    if (execution.isEmpty()) {
      throw new IOException(
          "Cloud Run ran "
              + jobName
              + " for "
              + describe(request)
              + " but named no execution (operation '"
              + operation.getName()
              + "')");
    }
    return execution;
  }

  @Override
  public ExecutionState state(String executionName) throws IOException {
    try {
      return ExecutionPhases.of(executions.getExecution(executionName));
    } catch (NotFoundException e) {
      return new ExecutionState(ExecutionState.Phase.NOT_FOUND, "no execution " + executionName);
    } catch (ApiException e) {
      throw new IOException("cannot read execution " + executionName + ": " + reason(e), e);
    }
  }

  @Override
  public void cancel(String executionName) throws IOException {
    try {
      // Only the request that starts the cancellation: its operation is not awaited.
      executions
          .cancelExecutionCallable()
          .call(CancelExecutionRequest.newBuilder().setName(executionName).build());
    } catch (NotFoundException e) {
      // Nothing to stop.
    } catch (ApiException e) {
      if (e.getStatusCode().getCode() != StatusCode.Code.FAILED_PRECONDITION) {
        throw new IOException("cannot cancel execution " + executionName + ": " + reason(e), e);
      }
      // FAILED_PRECONDITION: the execution already ended, which is what cancel wants.
    }
  }

  @Override
  public void close() {
    jobs.close();
    executions.close();
  }

  private static String executionName(Operation operation) throws IOException {
    if (!operation.hasMetadata()) {
      return "";
    }
    try {
      return operation.getMetadata().unpack(Execution.class).getName();
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(
          "Cloud Run's operation '" + operation.getName() + "' carries no execution", e);
    }
  }

  private static String describe(LaunchRequest request) {
    return request.pair().name()
        + " (run "
        + request.run().value()
        + ", attempt "
        + request.attempt()
        + ")";
  }

  private static String reason(ApiException e) {
    return e.getStatusCode().getCode() + " " + e.getMessage();
  }
}

package ml.bqx.gcp.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.ExecutionState.Phase;
import ml.bqx.core.port.LaunchRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CloudRunJobLauncherTest {
  private static final String JOB = "projects/p1/locations/us-central1/jobs/bqx-pipeline";

  private final FakeCloudRun cloudRun = new FakeCloudRun();
  private Server server;
  private ManagedChannel channel;
  private CloudRunJobLauncher launcher;

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(cloudRun.jobs)
            .addService(cloudRun.executionsService)
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    launcher =
        CloudRunJobLauncher.create(
            JOB,
            FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)),
            NoCredentialsProvider.create());
  }

  @AfterEach
  void stop() {
    launcher.close();
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static LaunchRequest request() {
    return new LaunchRequest(
        RunId.of("prod-20261128"), Pair.parse("eurusd"), 2, Map.of("BQX_LOG_FORMAT", "json"));
  }

  @Test
  void launch_runsTheJobWithEnvOverrides_andReturnsTheExecutionAtOnce() throws IOException {
    String execution = launcher.launch(request());

    assertThat(execution).isEqualTo(JOB + "/executions/exec-1");
    assertThat(cloudRun.runs).hasSize(1);
    RunJobRequest sent = cloudRun.runs.get(0);
    assertThat(sent.getName()).isEqualTo(JOB);
    assertThat(sent.getOverrides().getContainerOverridesCount()).isEqualTo(1);
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : sent.getOverrides().getContainerOverrides(0).getEnvList()) {
      env.put(var.getName(), var.getValue());
    }
    assertThat(env)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "TARGET_PAIR", "eurusd",
                "RUN_ID", "prod-20261128",
                "ATTEMPT", "2",
                "BQX_LOG_FORMAT", "json"));
  }

  @Test
  void launch_whenCloudRunRefuses_failsWithTheReason() {
    cloudRun.refuseRuns = Status.PERMISSION_DENIED.withDescription("run.jobs.run denied");

    IOException e = assertThrows(IOException.class, () -> launcher.launch(request()));

    assertThat(e.getMessage())
        .startsWith(
            "Cloud Run refused to run " + JOB + " for eurusd (run prod-20261128, attempt 2)")
        .contains("PERMISSION_DENIED")
        .contains("run.jobs.run denied");
  }

  @Test
  void launch_whenTheOperationNamesNoExecution_fails() {
    cloudRun.nameNoExecution = true;

    IOException e = assertThrows(IOException.class, () -> launcher.launch(request()));

    assertThat(e.getMessage()).contains("named no execution").contains("operations/run-");
  }

  @Test
  void state_followsCompletionTimeAndTaskCounts() throws IOException {
    String name = launcher.launch(request());
    assertThat(launcher.state(name).phase()).isEqualTo(Phase.RUNNING);
    assertThat(launcher.state(name).finishedAt()).isNull();

    finish(name, 1, 0, 0);
    assertThat(launcher.state(name).phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(launcher.state(name).finishedAt()).isEqualTo(java.time.Instant.ofEpochSecond(1));
    finish(name, 0, 1, 0);
    assertThat(launcher.state(name).phase()).isEqualTo(Phase.FAILED);
    assertThat(launcher.state(name).detail()).contains("1 failed");
    finish(name, 0, 0, 1);
    assertThat(launcher.state(name).phase()).isEqualTo(Phase.CANCELLED);
  }

  @Test
  void state_ofUnknownExecution_isNotFound() throws IOException {
    assertThat(launcher.state(JOB + "/executions/ghost").phase()).isEqualTo(Phase.NOT_FOUND);
  }

  @Test
  void cancel_asksCloudRun_andIsHarmlessWhenFinishedOrGone() throws IOException {
    String name = launcher.launch(request());

    launcher.cancel(name);
    finish(name, 1, 0, 0);
    launcher.cancel(name);
    launcher.cancel(JOB + "/executions/ghost");

    assertThat(cloudRun.cancels).containsExactly(name, name, JOB + "/executions/ghost");
  }

  @Test
  void provider_refusesAUriThatNamesNoJob() {
    BqxConfig config = BqxConfig.from(Map.of());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Adapters.jobLauncher(URI.create("cloudrun://projects/p1/jobs/x"), config));
    assertThat(e.getMessage())
        .isEqualTo(
            "'cloudrun://projects/p1/jobs/x' names no job: expected"
                + " cloudrun://projects/P/locations/R/jobs/J");
  }

  @Test
  void jobName_readsTheResourceNameFromTheUri() {
    assertThat(CloudRunJobs.jobName(URI.create("cloudrun://" + JOB))).isEqualTo(JOB);
  }

  private void finish(String name, int succeeded, int failed, int cancelled) {
    cloudRun.executions.put(
        name,
        Execution.newBuilder()
            .setName(name)
            .setTaskCount(1)
            .setSucceededCount(succeeded)
            .setFailedCount(failed)
            .setCancelledCount(cancelled)
            .setCompletionTime(Timestamp.newBuilder().setSeconds(1))
            .build());
  }
}

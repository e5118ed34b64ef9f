package ml.bqx.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.ExecutionState.Phase;
import ml.bqx.core.port.JobLauncher;
import ml.bqx.core.port.LaunchRequest;
import ml.bqx.core.testing.ChildProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ChildProcesses.class)
class ProcessJobLauncherTest {
  @TempDir Path dir;

  private JobLauncher launcher(Map<String, String> env) {
    return new ProcessJobLauncher(
        dir, JavaCommand.of(FakeJobMain.class.getName(), List.of("-Xmx64m")), env);
  }

  private LaunchRequest request(Map<String, String> extra) {
    return new LaunchRequest(RunId.of("r1"), Pair.parse("usdjpy"), 2, extra);
  }

  @Test
  void launch_runsTheJobWithTheExecutionEnvironment_andReportsSuccess() throws IOException {
    Path out = dir.resolve("env.txt");
    JobLauncher launcher = launcher(Map.of("BQX_STAGING", "file:///s"));
    String name = launcher.launch(request(Map.of("FAKE_OUT", out.toString())));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> launcher.state(name).phase() != Phase.RUNNING);
    assertThat(launcher.state(name).phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(launcher.state(name).finishedAt()).isNotNull();
    assertThat(Files.readString(out)).isEqualTo("usdjpy r1 2 file:///s");
    assertThat(name).startsWith("exec-r1-usdjpy-a2-");
  }

  @Test
  void state_ofAFailedJob_isFailedWithItsExitCode_evenForANewLauncherInstance() throws IOException {
    String name =
        launcher(Map.of())
            .launch(request(Map.of("FAKE_OUT", dir.resolve("o").toString(), "FAKE_EXIT", "3")));
    JobLauncher afterRestart = launcher(Map.of());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> afterRestart.state(name).phase().isFinished());
    assertThat(afterRestart.state(name).phase()).isEqualTo(Phase.FAILED);
    assertThat(afterRestart.state(name).detail()).isEqualTo("exit code 3");
  }

  @Test
  void cancel_endsTheRunningJob_andItsStateIsCancelled() throws IOException {
    Path out = dir.resolve("started.txt");
    JobLauncher launcher = launcher(Map.of());
    String name =
        launcher.launch(request(Map.of("FAKE_OUT", out.toString(), "FAKE_MODE", "sleep")));
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(out));
    assertThat(launcher.state(name).phase()).isEqualTo(Phase.RUNNING);

    launcher.cancel(name);

    await().atMost(Duration.ofSeconds(30)).until(() -> launcher.state(name).phase().isFinished());
    assertThat(launcher.state(name).phase()).isEqualTo(Phase.CANCELLED);
  }

  @Test
  void cancel_ofAJobThatAlreadySucceeded_leavesItSucceeded() throws IOException {
    JobLauncher launcher = launcher(Map.of());
    String name = launcher.launch(request(Map.of("FAKE_OUT", dir.resolve("o").toString())));
    await().atMost(Duration.ofSeconds(60)).until(() -> launcher.state(name).phase().isFinished());

    launcher.cancel(name); // a stopping runner cancels what its ledger still calls running

    assertThat(launcher.state(name).phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(launcher.state(name).detail()).isEqualTo("exit code 0");
  }

  @Test
  void state_ofUnknownExecution_isNotFound() throws IOException {
    assertThat(launcher(Map.of()).state("exec-nothing").phase()).isEqualTo(Phase.NOT_FOUND);
  }

  @Test
  void provider_opensAProcessLauncherForProcessUris() throws IOException {
    JobLauncher launcher =
        Adapters.jobLauncher(
            URI.create("process://" + dir + "?main=" + FakeJobMain.class.getName()),
            BqxConfig.from(Map.of("BQX_STAGING", "file:///p")));
    Path out = dir.resolve("p.txt");
    String name = launcher.launch(request(Map.of("FAKE_OUT", out.toString())));
    await().atMost(Duration.ofSeconds(60)).until(() -> launcher.state(name).phase().isFinished());
    assertThat(Files.readString(out)).isEqualTo("usdjpy r1 2 file:///p");
  }

  @Test
  void provider_givesEachJobItsShareOfTheMachine_forTheJobsOfTheRunAtOnce() throws IOException {
    // A run capped at 2 (the project's cap is 8): each job sees half the CPUs and a quarter of
    // the memory as its heap's bound, as a container of that size would give it.
    JobLauncher launcher =
        Adapters.jobLauncher(
            URI.create("process://" + dir + "?main=" + FakeJobMain.class.getName()),
            BqxConfig.from(Map.of("BQX_STAGING", "file:///p", "BQX_MAX_CONCURRENT", "2")));
    Path out = dir.resolve("machine.txt");
    String name =
        launcher.launch(request(Map.of("FAKE_OUT", out.toString(), "FAKE_MODE", "machine")));
    await().atMost(Duration.ofSeconds(60)).until(() -> launcher.state(name).phase().isFinished());

    int half = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    assertThat(Files.readString(out))
        .startsWith("cpus=" + half + " ")
        .contains("-XX:ActiveProcessorCount=" + half, "-XX:MaxRAMPercentage=25.0");
  }

  @Test
  void machineShare_neverLessThanOneCpu_andTheHeapsTogetherTakeHalfTheMemory() {
    assertThat(MachineShare.of(2, 4)).isEqualTo(new MachineShare(1, 12.5));
    assertThat(MachineShare.of(16, 4)).isEqualTo(new MachineShare(4, 12.5));
    assertThat(MachineShare.of(8, 1)).isEqualTo(new MachineShare(8, 50));
  }
}

package ml.bqx.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChildProcessesTest {
  @Test
  void afterEach_killsAPausedProcess_thatIsNotThisJvmsDescendant() throws Exception {
    // The shell starts a sleep and exits: the sleep is an orphan, as a local job is once its
    // runner has gone, and no longer among this JVM's descendants.
    Process shell =
        new ProcessBuilder("bash", "-c", "sleep 600 >/dev/null 2>&1 & echo $!")
            .redirectErrorStream(true)
            .start();
    long pid =
        Long.parseLong(
            new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
    ProcessHandle orphan = ProcessHandle.of(pid).orElseThrow();
    assertThat(ProcessHandle.current().descendants()).doesNotContain(orphan);
    ChildProcesses.pause(List.of(orphan));

    new ChildProcesses().afterEach(null);

    orphan.onExit().get(30, TimeUnit.SECONDS);
    assertThat(orphan.isAlive()).isFalse();
  }
}

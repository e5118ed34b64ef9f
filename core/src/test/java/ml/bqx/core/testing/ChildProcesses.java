package ml.bqx.core.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Leaves nothing running after a test: once each test has ended (passed, failed or timed out),
 * every process this JVM started that is still alive is killed with all of its descendants.
 * Surefire runs one test at a time per JVM, so every descendant of this JVM is the current test's.
 *
 * <p>Also pauses and resumes processes (SIGSTOP / SIGCONT), which {@link ProcessHandle} cannot: a
 * paused process holds its state still while a test reads it. A process a test paused is killed
 * after it too, even one that is not this JVM's descendant (a local job outlives its runner, so it
 * is nobody's child): a failed assertion never leaves one paused for good.
 */
public final class ChildProcesses implements AfterEachCallback {
  private static final Set<ProcessHandle> PAUSED = ConcurrentHashMap.newKeySet();

  @Override
  public void afterEach(ExtensionContext context) {
    ProcessHandle.current().children().forEach(ChildProcesses::destroyTree);
    PAUSED.forEach(ChildProcesses::destroyTree);
    PAUSED.clear();
  }

  /** Kills a process and its descendants (SIGKILL; paused ones too) and waits until they ended. */
  public static void destroyTree(ProcessHandle root) {
    // The tree is listed before anything dies: an orphan can no longer be found from its parent.
    List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle process : tree) {
      try {
        process.onExit().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("process " + process.pid() + " did not end", e);
      }
    }
  }

  /** Kills a started process and its descendants; for a test's finally block. */
  public static void destroyTree(Process process) {
    destroyTree(process.toHandle());
  }

  /** Pauses the processes (SIGSTOP): they hold still until {@link #resume}d or killed. */
  public static void pause(List<ProcessHandle> processes) {
    PAUSED.addAll(processes);
    signal("-STOP", processes);
  }

  /** Resumes paused processes (SIGCONT). */
  public static void resume(List<ProcessHandle> processes) {
    signal("-CONT", processes);
    processes.forEach(PAUSED::remove);
  }

  private static void signal(String signal, List<ProcessHandle> processes) {
    List<String> alive =
        processes.stream().filter(ProcessHandle::isAlive).map(p -> Long.toString(p.pid())).toList();
    if (alive.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of("kill", signal));
    command.addAll(alive);
    try {
      // kill fails only for a process that ended meanwhile, which is what the caller wanted.
      new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill " + signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package ml.bqx.local.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.RunId;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.port.ExecutionState.Phase;
import ml.bqx.core.port.JobLauncher;
import ml.bqx.core.port.LaunchRequest;

/**
 * Runs each job execution as a child OS process: the same job main, with the same environment a
 * Cloud Run execution gets. Every execution leaves files in {@code <workdir>/executions/}: its
 * record (pid, start), its log, and the exit code written by a small shell wrapper, so that its
 * state survives a restart of the process that launched it.
 */
public final class ProcessJobLauncher implements JobLauncher {
  private static final Duration GRACE = Duration.ofSeconds(5);

  private final Path workdir;
  private final Path executions;
  private final List<String> javaCommand;
  private final Map<String, String> baseEnvironment;

  /**
   * @param workdir where execution files go
   * @param javaCommand the command up to and including the main class ({@link JavaCommand})
   * @param baseEnvironment the job's own environment; each launch adds TARGET_PAIR, RUN_ID, ATTEMPT
   */
  public ProcessJobLauncher(
      Path workdir, List<String> javaCommand, Map<String, String> baseEnvironment) {
    this.workdir = workdir;
    this.executions = workdir.resolve("executions");
    this.javaCommand = List.copyOf(javaCommand);
    this.baseEnvironment = Map.copyOf(baseEnvironment);
  }

  @Override
  public String launch(LaunchRequest request) throws IOException {
    Files.createDirectories(executions);
    String name =
        "exec-"
            + request.run().value()
            + "-"
            + request.pair().name()
            + "-a"
            + request.attempt()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    ExecutionFiles files = new ExecutionFiles(executions, name);
    Map<String, String> environment = new LinkedHashMap<>(baseEnvironment);
    environment.putAll(request.environment());
    environment.put("BQX_EXECUTION", name);
    // The job reports to the bus of its own run's runner, if one is up: the runner launching it
    // may be another run's (a promoted waiter), which may end first and take its bus with it.
    RunnerEndpoint.read(RunnerEndpoint.fileOf(workdir, request.run()))
        .filter(RunnerEndpoint::isLive)
        .ifPresent(e -> environment.put(EnvKey.PUBSUB_EMULATOR_HOST.name(), e.hostPort()));

    // The wrapper records the exit code even if the launching process is gone by then.
    List<String> command =
        new ArrayList<>(List.of("/bin/sh", "-c", ExitRecorder.SCRIPT, "bqx-job"));
    command.add(files.exit().toString());
    command.addAll(javaCommand);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(files.log().toFile()));
    Process process = builder.start();
    ExecutionRecord record =
        new ExecutionRecord(
            name, process.pid(), process.info().startInstant().orElse(Instant.now()));
    Files.write(files.record(), Json.toBytes(record));
    return name;
  }

  @Override
  public ExecutionState state(String executionName) throws IOException {
    ExecutionFiles files = ExecutionFiles.of(executions, executionName);
    Optional<ExecutionRecord> record = files.readRecord();
    if (record.isEmpty()) {
      return new ExecutionState(Phase.NOT_FOUND, "no execution " + executionName);
    }
    Optional<Integer> exit = files.readExit();
    if (exit.isPresent()) {
      // The wrapper writes the exit file as the job ends: its time is the execution's end.
      Instant ended = Files.getLastModifiedTime(files.exit()).toInstant();
      // Exit 0 is a job that did all its work: a cancel that came as it ended was too late.
      if (exit.get() != 0 && Files.exists(files.cancelled())) {
        return new ExecutionState(Phase.CANCELLED, "cancelled", ended);
      }
      return exit.get() == 0
          ? new ExecutionState(Phase.SUCCEEDED, "exit code 0", ended)
          : new ExecutionState(
              Phase.FAILED, "exit code " + exit.get() + describe(exit.get()), ended);
    }
    if (record.get().isAlive()) {
      return new ExecutionState(Phase.RUNNING, "pid " + record.get().pid());
    }
    return Files.exists(files.cancelled())
        ? new ExecutionState(Phase.CANCELLED, "cancelled")
        : new ExecutionState(Phase.FAILED, "process ended without an exit code (killed)");
  }

  private static String describe(int exitCode) {
    return exitCode > 128 ? " (killed by signal " + (exitCode - 128) + ")" : "";
  }

  /**
   * The executions of a run launched from this workdir that have not ended, found from their files
   * and the process table: what a local runner that cannot go on (its ledger unreadable) ends,
   * rather than leaving them running with nobody to follow them.
   */
  public static List<String> unfinished(Path workdir, RunId run) throws IOException {
    Pattern ofRun =
        Pattern.compile(
            "(exec-" + Pattern.quote(run.value()) + "-[a-z]{6}-a[0-9]+-[0-9a-f]{8})\\.json");
    Path executions = workdir.resolve("executions");
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(executions)) {
      for (Path file : files.toList()) {
        Matcher name = ofRun.matcher(file.getFileName().toString());
        if (name.matches()) {
          ExecutionFiles execution = ExecutionFiles.of(executions, name.group(1));
          if (execution.readExit().isEmpty()
              && execution.readRecord().map(ExecutionRecord::isAlive).orElse(false)) {
            names.add(name.group(1));
          }
        }
      }
    } catch (NoSuchFileException none) {
      return List.of();
    }
    Collections.sort(names);
    return names;
  }

  @Override
  public void cancel(String executionName) throws IOException {
    ExecutionFiles files = ExecutionFiles.of(executions, executionName);
    Optional<ExecutionRecord> record = files.readRecord();
    if (record.isEmpty() || files.readExit().isPresent()) {
      return; // harmless once it ended: its end stays what it was
    }
    Files.writeString(files.cancelled(), Instant.now().toString(), StandardCharsets.UTF_8);
    record.get().terminate(GRACE);
  }
}

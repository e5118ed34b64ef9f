package ml.bqx.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.bqx.core.json.Json;
import ml.bqx.local.launcher.JavaCommand;

/**
 * Runs one {@link BenchChild} task in a fresh JVM on this process's class path ({@link
 * JavaCommand}), so each measurement's memory peaks are its own; the child's log goes to a file.
 */
final class ChildJvm {
  private final List<String> jvmOptions;
  private final Path log;

  ChildJvm(String xmx, Path log) {
    this(List.of("-Xmx" + xmx), log);
  }

  /** Children with these JVM options (a heap, the CPUs the JVM sees). */
  ChildJvm(List<String> jvmOptions, Path log) {
    this.jvmOptions = List.copyOf(jvmOptions);
    this.log = log;
  }

  /**
   * Runs the task and returns its figures; fails with the log's last lines if it did not end well.
   */
  Map<String, Double> run(String task, Map<String, String> arguments) throws IOException {
    List<String> taskArguments = new ArrayList<>();
    taskArguments.add(task);
    arguments.forEach((key, value) -> taskArguments.add(key + "=" + value));
    List<String> command = JavaCommand.of(BenchChild.class.getName(), jvmOptions, taskArguments);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String result = null;
    List<String> tail = new ArrayList<>();
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter logFile =
            new PrintWriter(
                Files.newBufferedWriter(
                    log,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND))) {
      logFile.println("== " + task + " " + arguments);
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(BenchChild.RESULT)) {
          result = line.substring(BenchChild.RESULT.length());
        }
        logFile.println(line);
        tail.add(line);
        if (tail.size() > 5) {
          tail.remove(0);
        }
      }
    }
    int code;
    try {
      code = process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the " + task + " child ran", e);
    }
    if (code != 0 || result == null) {
      throw new IOException(
          "the "
              + task
              + " child failed (exit "
              + code
              + "), see "
              + log
              + ": "
              + String.join(" | ", tail));
    }
    return Json.MAPPER.readValue(result, new TypeReference<Map<String, Double>>() {});
  }
}

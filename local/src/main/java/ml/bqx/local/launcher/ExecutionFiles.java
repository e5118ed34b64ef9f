package ml.bqx.local.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import ml.bqx.core.json.Json;

/** The files one execution leaves in the executions folder. */
record ExecutionFiles(Path folder, String name) {
  static ExecutionFiles of(Path folder, String name) {
    if (name == null || !name.matches("exec-[a-z0-9-]+")) {
      throw new IllegalArgumentException("'" + name + "' is not a local execution name");
    }
    return new ExecutionFiles(folder, name);
  }

  Path record() {
    return folder.resolve(name + ".json");
  }

  Path log() {
    return folder.resolve(name + ".log");
  }

  Path exit() {
    return folder.resolve(name + ".exit");
  }

  Path cancelled() {
    return folder.resolve(name + ".cancelled");
  }

  Optional<ExecutionRecord> readRecord() throws IOException {
    try {
      return Optional.of(Json.fromBytes(Files.readAllBytes(record()), ExecutionRecord.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  Optional<Integer> readExit() throws IOException {
    try {
      return Optional.of(Integer.parseInt(Files.readString(exit(), StandardCharsets.UTF_8).trim()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }
}

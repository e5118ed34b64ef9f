package ml.bqx.local.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import ml.bqx.core.message.RunId;

/**
 * The Pub/Sub endpoint of a local runner ({@code host:port}) and the runner process (pid and
 * start), as a file in its workdir records it: the commands of the workdir find the runner that is
 * up by it, and the launcher the runner of a job's own run. A file a killed runner left behind is
 * known as such without a connection attempt.
 */
public record RunnerEndpoint(String hostPort, long pid, Instant started) {
  /** This process as the runner of the endpoint {@code hostPort}. */
  public static RunnerEndpoint ofThisProcess(String hostPort) {
    return new RunnerEndpoint(
        hostPort, ProcessHandle.current().pid(), LiveProcess.startOfCurrent());
  }

  /** Where the runner of {@code run} records its endpoint in {@code workdir}. */
  public static Path fileOf(Path workdir, RunId run) {
    return workdir.resolve("runners").resolve(run.value() + ".endpoint");
  }

  /** The endpoint a file records; empty if there is no such file or it records none. */
  public static Optional<RunnerEndpoint> read(Path file) {
    try {
      return Files.isRegularFile(file)
          ? parse(Files.readString(file, StandardCharsets.UTF_8))
          : Optional.empty();
    } catch (IOException unreadable) {
      return Optional.empty(); // the same as none: nothing can reach it
    }
  }

  /** Writes it into {@code file}, as {@code host:port pid start}. */
  public void write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, hostPort + " " + pid + " " + started + "\n", StandardCharsets.UTF_8);
  }

  /** Deletes {@code file} if it records this endpoint, not another runner's written since. */
  public void forget(Path file) throws IOException {
    if (read(file).filter(this::equals).isPresent()) {
      Files.deleteIfExists(file);
    }
  }

  /** True while the runner that wrote it is alive. */
  public boolean isLive() {
    return LiveProcess.of(pid, started).isPresent();
  }

  private static Optional<RunnerEndpoint> parse(String text) {
    String[] fields = text.trim().split("\\s+");
    if (fields.length != 3 || fields[0].isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new RunnerEndpoint(fields[0], Long.parseLong(fields[1]), Instant.parse(fields[2])));
    } catch (NumberFormatException | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}

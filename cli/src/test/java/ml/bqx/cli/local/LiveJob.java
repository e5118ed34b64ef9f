package ml.bqx.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/**
 * A job process that is alive now, found as an operator would: from the launcher's execution
 * records in the workdir (pid and start instant of the job's shell wrapper) and the process table,
 * with no exit code recorded yet.
 */
record LiveJob(RunId run, Pair pair, int attempt, ProcessHandle wrapper) {
  private static final Pattern NAME =
      Pattern.compile("exec-(.+)-([a-z]{6})-a([0-9]+)-[0-9a-f]{8}\\.json");

  /** The job's own JVM under its wrapper, once it is up. */
  Optional<ProcessHandle> jvm() {
    return wrapper
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .findFirst();
  }

  static List<LiveJob> of(LocalWorkdir work, RunId run) throws IOException {
    return all(work).stream().filter(job -> job.run().equals(run)).toList();
  }

  static List<LiveJob> all(LocalWorkdir work) throws IOException {
    Path executions = work.root().resolve("executions");
    List<Path> records;
    try (Stream<Path> files = Files.list(executions)) {
      records = files.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).toList();
    } catch (NoSuchFileException none) {
      return List.of();
    }
    List<LiveJob> live = new ArrayList<>();
    for (Path record : records) {
      Matcher name = NAME.matcher(record.getFileName().toString());
      name.matches();
      Path exit = record.resolveSibling(record.getFileName().toString().replace(".json", ".exit"));
      if (Files.exists(exit)) {
        continue;
      }
      Optional<ProcessHandle> wrapper;
      try {
        wrapper = alive(Json.fromBytes(Files.readAllBytes(record), Map.class));
      } catch (IOException | RuntimeException beingWritten) {
        continue; // the launcher writes the record just after the process starts
      }
      wrapper.ifPresent(
          w ->
              live.add(
                  new LiveJob(
                      RunId.of(name.group(1)),
                      Pair.parse(name.group(2)),
                      Integer.parseInt(name.group(3)),
                      w)));
    }
    return live;
  }

  /** The recorded process, if alive and the same one (a pid can be given again). */
  private static Optional<ProcessHandle> alive(Map<?, ?> record) {
    long pid = ((Number) record.get("pid")).longValue();
    Instant started = Instant.parse(record.get("startedAt").toString());
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                h.info()
                    .startInstant()
                    .map(s -> Duration.between(s, started).abs().toSeconds() <= 1)
                    .orElse(true));
  }
}

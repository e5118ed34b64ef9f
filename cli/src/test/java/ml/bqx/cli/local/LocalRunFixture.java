package ml.bqx.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.Stream;
import ml.bqx.cli.Bqx;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.launcher.JavaCommand;
import ml.bqx.local.store.FolderObjectStore;

/**
 * What the end-to-end tests of {@code bqx local run} share: its command line, in this JVM or a
 * child; what a run leaves in its workdir (ledger, execution files, training files) and how to
 * check them; and how to find a run's processes and wait for the states it makes visible.
 */
final class LocalRunFixture {
  /** Generous: the waits are for states, and a busy machine makes every step slow. */
  static final Duration PATIENCE = Duration.ofMinutes(10);

  private LocalRunFixture() {}

  static String[] localRun(LocalWorkdir work, RunId run, List<String> pairs, String cap) {
    return new String[] {
      "local",
      "run",
      "--pairs",
      String.join(",", pairs),
      "--scale",
      "tiny",
      "--max-concurrent",
      cap,
      "--workdir",
      work.root().toString(),
      "--run",
      run.value()
    };
  }

  static String[] concat(String[] first, String... more) {
    return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
  }

  static List<String> childJava(String... args) {
    return JavaCommand.of(Bqx.class.getName(), List.of("-Xmx256m"), List.of(args));
  }

  static RunLedger ledger(LocalWorkdir work, RunId run) throws IOException {
    return new LedgerStore(new FolderObjectStore(), work.stagingUri()).load(run).orElseThrow();
  }

  static List<Path> executions(LocalWorkdir work, RunId run, Pair pair) throws IOException {
    try (Stream<Path> files = Files.list(work.root().resolve("executions"))) {
      String prefix = "exec-" + run + "-" + pair + "-a";
      return files
          .filter(f -> f.getFileName().toString().startsWith(prefix))
          .filter(f -> f.getFileName().toString().endsWith(".json"))
          .toList();
    }
  }

  static Path execution(LocalWorkdir work, RunId run, Pair pair, int attempt, String ext)
      throws IOException {
    String prefix = "exec-" + run + "-" + pair + "-a" + attempt + "-";
    try (Stream<Path> files = Files.list(work.root().resolve("executions"))) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(prefix))
          .filter(f -> f.getFileName().toString().endsWith(ext))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + prefix + "*" + ext));
    }
  }

  /** The job's own java process (the launcher's shell wrapper is the recorded pid), once up. */
  static Optional<ProcessHandle> jobProcess(LocalWorkdir work, RunId run, Pair pair, int attempt)
      throws IOException {
    Map<?, ?> record =
        Json.fromBytes(Files.readAllBytes(execution(work, run, pair, attempt, ".json")), Map.class);
    long wrapper = ((Number) record.get("pid")).longValue();
    return ProcessHandle.of(wrapper).stream()
        .flatMap(ProcessHandle::descendants)
        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .findFirst();
  }

  /** The function host of a runner: its one child that is a JVM (a job runs under a shell). */
  static Optional<ProcessHandle> functionHost(ProcessHandle runner) {
    return runner
        .children()
        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
        .findFirst();
  }

  /**
   * Waits until the run's ledger is there and passes {@code until}; fails at once if the runner
   * ended first (its result tells why).
   */
  static RunLedger awaitLedger(
      LocalWorkdir work, RunId run, Predicate<RunLedger> until, Future<?> runner) throws Exception {
    LedgerStore store = new LedgerStore(new FolderObjectStore(), work.stagingUri());
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (runner.isDone()) {
        throw new AssertionError("the runner ended first: " + runner.get());
      }
      Optional<RunLedger> ledger = store.load(run);
      if (ledger.isPresent() && until.test(ledger.get())) {
        return ledger.get();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("run " + run + " never reached the state waited for");
  }
}

package ml.bqx.cli.local;

import static ml.bqx.cli.local.LocalRunFixture.PATIENCE;
import static ml.bqx.cli.local.LocalRunFixture.awaitLedger;
import static ml.bqx.cli.local.LocalRunFixture.childJava;
import static ml.bqx.cli.local.LocalRunFixture.concat;
import static ml.bqx.cli.local.LocalRunFixture.execution;
import static ml.bqx.cli.local.LocalRunFixture.executions;
import static ml.bqx.cli.local.LocalRunFixture.functionHost;
import static ml.bqx.cli.local.LocalRunFixture.jobProcess;
import static ml.bqx.cli.local.LocalRunFixture.ledger;
import static ml.bqx.cli.local.LocalRunFixture.localRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.testing.ChildProcesses;
import ml.bqx.local.store.FolderObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults an operator or the machine throws at {@code bqx local run} (issue 15): the function host
 * killed, two runs sharing one workdir and the project's cap, the runner stopped while a job has
 * just succeeded, the runner killed. Each run ends with every pair succeeded; each wait is for a
 * state the run makes visible.
 */
@ExtendWith(ChildProcesses.class)
class LocalRunFaultsTest {
  private static final Pair EURUSD = Pair.parse("eurusd");
  private static final Pair USDJPY = Pair.parse("usdjpy");
  private static final List<String> THREE = List.of("eurusd", "usdjpy", "audjpy");

  @TempDir Path dir;

  @Test
  void functionHostKilled_isRestartedOnce_saysSo_andEveryPairSucceeds() throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    RunId run = RunId.of("host-killed");
    CompletableFuture<CliRun> running =
        CompletableFuture.supplyAsync(
            () -> bqx(Map.of(), localRun(work, run, List.of("eurusd", "usdjpy"), "2")));

    // Both jobs in flight: their events come while no host is up, or to the new one.
    awaitLedger(work, run, l -> l.count(PairState.RUNNING) == 2, running);
    ProcessHandle host = functionHost(ProcessHandle.current()).orElseThrow();
    host.destroyForcibly(); // SIGKILL
    host.onExit().get(30, TimeUnit.SECONDS);

    CliRun result = running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out())
        .contains(
            "the function host ended (exit code 137): restarted (1 of 3 restarts), log "
                + work.root().resolve("functions.log"));
    assertThat(ledger(work, run).count(PairState.SUCCEEDED)).isEqualTo(2);
  }

  @Test
  void twoRunsInOneWorkdir_holdTheProjectCapTogether_andNeverBuildOnePairTwiceAtOnce()
      throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    RunId first = RunId.of("shared-a");
    RunId second = RunId.of("shared-b");
    // The project allows 2 jobs; each run alone would allow 3. Both runs build the same pairs.
    Map<String, String> project = Map.of("BQX_PROJECT_MAX_CONCURRENT", "2");
    CompletableFuture<CliRun> a =
        CompletableFuture.supplyAsync(() -> bqx(project, localRun(work, first, THREE, "3")));
    awaitLedger(work, first, l -> true, a); // seeded: the second run finds the warehouse ready
    CompletableFuture<CliRun> b =
        CompletableFuture.supplyAsync(() -> bqx(project, localRun(work, second, THREE, "3")));

    LedgerStore store = new LedgerStore(new FolderObjectStore(), work.stagingUri());
    int samples = 0;
    int most = 0;
    while (!(a.isDone() && b.isDone())) {
      List<PairRecord> holding = holdingAtOneMoment(store, first, second);
      assertThat(holding.size()).as("jobs of both runs at once: " + holding).isLessThanOrEqualTo(2);
      assertThat(holding.stream().map(PairRecord::pair))
          .as("a pair built by both runs at once: " + holding)
          .doesNotHaveDuplicates();
      most = Math.max(most, holding.size());
      samples++;
      Thread.sleep(20);
    }

    for (CompletableFuture<CliRun> runner : List.of(a, b)) {
      CliRun result = runner.get();
      assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
      assertThat(result.out()).contains("cap 3 (project cap 2)");
    }
    for (RunId run : List.of(first, second)) {
      for (PairRecord record : ledger(work, run).pairs()) {
        assertThat(record.state()).as(run + "/" + record.pair()).isEqualTo(PairState.SUCCEEDED);
        // Settled by its terminal event (which carries the job's metrics), not found out later:
        // a job another run's runner launched reported to its own run's runner, still up.
        assertThat(record.metrics()).as(run + "/" + record.pair() + " metrics").isNotEmpty();
      }
    }
    assertThat(most).as("jobs seen while sampling").isPositive();
    System.out.printf(
        "two runs, one workdir: %d samples, at most %d jobs at once%n", samples, most);
  }

  @Test
  void runnerStoppedAfterAJobSucceeded_keepsIt_suggestsOnlyResume_andResumeBuildsTheRest()
      throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    RunId run = RunId.of("stopped");
    Path log = dir.resolve("runner.log");
    Process runner =
        new ProcessBuilder(childJava(localRun(work, run, List.of("eurusd", "usdjpy"), "1")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    List<ProcessHandle> left = new ArrayList<>();
    try {
      CompletableFuture<Process> ended = runner.onExit();
      // Cap 1: whichever pair was dispatched first runs, the other waits.
      RunLedger first =
          awaitLedger(work, run, l -> running(l).isPresent() && l.queued().size() == 1, ended);
      Pair done = running(first).orElseThrow();
      Pair rest = first.queued().get(0).pair();
      // A paused host settles nothing: the job's success waits in its terminal event.
      ProcessHandle host = functionHost(runner.toHandle()).orElseThrow();
      left.add(host);
      ChildProcesses.pause(List.of(host));
      awaitExitCode(work, run, done, ended);
      RunLedger paused = ledger(work, run);
      assertThat(isRunning(paused, done)).as(paused.pairs().toString()).isTrue();
      assertThat(paused.queued()).extracting(PairRecord::pair).containsExactly(rest);
      // With a runner up, a pair for a run that does not exist is refused, not published.
      CliRun stray = bqx(Map.of(), "publish", "eurusd", "--run", "nope", "--workdir", path(work));
      assertThat(stray.exitCode()).as(stray.out() + stray.err()).isEqualTo(2);
      assertThat(stray.err()).startsWith("bqx: no run 'nope' (no ledger at ");
      assertThat(stray.out()).isEmpty();

      runner.destroy(); // SIGTERM, as Ctrl-C: the stop hook runs
      runner.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

      String said = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(said)
          .contains(
              "stopped: resume with bqx local run --resume " + run + " --workdir " + work.root())
          .doesNotContain("bqx retry")
          .doesNotContain("some pairs did not succeed");
      RunLedger stopped = ledger(work, run);
      assertThat(stopped.pair(done).orElseThrow().state()).isEqualTo(PairState.SUCCEEDED);
      assertThat(stopped.pair(rest).orElseThrow().state()).isEqualTo(PairState.QUEUED);
    } finally {
      left.addAll(runner.descendants().toList());
      ChildProcesses.destroyTree(runner);
      left.forEach(ChildProcesses::destroyTree);
    }

    CliRun resumed =
        bqx(Map.of(), "local", "run", "--resume", run.value(), "--workdir", path(work));

    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
    RunLedger ledger = ledger(work, run);
    for (Pair pair : List.of(EURUSD, USDJPY)) {
      assertThat(ledger.pair(pair).orElseThrow().state()).isEqualTo(PairState.SUCCEEDED);
      assertThat(ledger.pair(pair).orElseThrow().attempt()).as(pair.name()).isEqualTo(1);
      assertThat(executions(work, run, pair)).as("executions of " + pair).hasSize(1);
    }
  }

  @Test
  void runnerKilled_commandsSayNoRunnerIsLive_andResumeRetriesWhatFailed() throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    RunId run = RunId.of("killed");
    Path log = dir.resolve("runner.log");
    ProcessBuilder child =
        new ProcessBuilder(
                childJava(
                    concat(
                        localRun(work, run, List.of("eurusd"), "1"),
                        "--max-attempts",
                        "1",
                        "--seed-tables",
                        "12")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    child.environment().put("BQX_EXTRACT_CONCURRENCY", "1"); // a job long enough to be caught
    Process runner = child.start();
    List<ProcessHandle> left = new ArrayList<>();
    try {
      CompletableFuture<Process> ended = runner.onExit();
      awaitLedger(work, run, l -> isRunning(l, EURUSD), ended);
      ProcessHandle job = awaitJob(work, run, EURUSD, ended);
      ProcessHandle wrapper = job.parent().orElseThrow();
      left.add(wrapper);
      ChildProcesses.pause(List.of(job)); // held short of its end while its runner dies
      runner.destroyForcibly(); // SIGKILL: no hook, the endpoint file stays
      runner.onExit().get(30, TimeUnit.SECONDS);
      // Its job dies too, before its end is recorded: attempt 1 is lost, its only attempt.
      ChildProcesses.destroyTree(wrapper);
    } finally {
      left.addAll(runner.descendants().toList());
      ChildProcesses.destroyTree(runner);
      left.forEach(ChildProcesses::destroyTree);
    }
    assertThat(work.endpointFile()).exists();

    CliRun published =
        bqx(Map.of(), "publish", "eurusd", "--run", run.value(), "--workdir", path(work));
    assertThat(published.exitCode()).as(published.err()).isEqualTo(2);
    assertThat(published.err().lines())
        .singleElement()
        .asString()
        .startsWith("bqx: no local runner is live for " + work.root() + " (the runner of ")
        .contains(", has ended): start one with bqx local run --workdir " + work.root())
        .endsWith("or go on with a run with bqx local run --resume RUN --workdir " + work.root());

    // Resumed, the lost attempt fails the pair (one attempt allowed) and the run ends.
    CliRun resumed =
        bqx(Map.of(), "local", "run", "--resume", run.value(), "--workdir", path(work));
    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isEqualTo(1);
    assertThat(resumed.out())
        .contains(
            "some pairs did not succeed: retry them with bqx local run --resume "
                + run
                + " --workdir "
                + work.root());
    assertThat(ledger(work, run).pair(EURUSD).orElseThrow().state()).isEqualTo(PairState.FAILED);
    // Retried with no runner up, the finished run starts one for its failed pair: attempt 2.
    CliRun retried = bqx(Map.of(), "retry", run.value(), "--workdir", path(work));
    assertThat(retried.exitCode()).as(retried.out() + retried.err()).isZero();
    PairRecord record = ledger(work, run).pair(EURUSD).orElseThrow();
    assertThat(record.state()).isEqualTo(PairState.SUCCEEDED);
    assertThat(record.attempt()).isEqualTo(2);
    assertThat(Files.readString(execution(work, run, EURUSD, 2, ".exit")).trim()).isEqualTo("0");
  }

  /** Issue 15, item 8: the ledger cut short under a live run. */
  @Test
  void ledgerTruncatedMidRun_stopsTheRunWithOneLine_endsItsJob_andLeavesTheLedger()
      throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    RunId run = RunId.of("cut-ledger");
    CompletableFuture<CliRun> running =
        CompletableFuture.supplyAsync(
            () ->
                bqx(
                    Map.of("BQX_EXTRACT_CONCURRENCY", "1"),
                    concat(localRun(work, run, List.of("eurusd"), "1"), "--seed-tables", "12")));
    awaitLedger(work, run, l -> isRunning(l, EURUSD), running);
    ProcessHandle job = awaitJob(work, run, EURUSD, running);
    ChildProcesses.pause(List.of(job)); // it cannot end before the ledger is cut
    Path ledger = work.stagingDir().resolve("runs/" + run + "/ledger.json");
    long cut;
    try (FileChannel file = FileChannel.open(ledger, StandardOpenOption.WRITE)) {
      cut = file.size() / 2;
      file.truncate(cut);
    }

    CliRun result = running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
    assertThat(result.err().lines())
        .singleElement()
        .asString()
        .startsWith("bqx: ")
        .contains(run.value(), ledger.toUri().toString())
        .contains("run " + run + " stopped, its running jobs ended (exec-" + run + "-eurusd-a1-")
        .endsWith("start a new run with bqx local run --workdir " + work.root());
    job.onExit().get(30, TimeUnit.SECONDS);
    assertThat(job.isAlive()).isFalse();
    assertThat(Files.size(ledger)).isEqualTo(cut);
  }

  // --- helpers ---

  private CliRun bqx(Map<String, String> env, String... args) {
    return CliRun.of(dir, Clock.systemUTC(), env, args);
  }

  private static String path(LocalWorkdir work) {
    return work.root().toString();
  }

  /** The pair running with an execution, if exactly one is. */
  private static Optional<Pair> running(RunLedger ledger) {
    List<Pair> running =
        ledger.pairs().stream()
            .filter(r -> r.state() == PairState.RUNNING && r.execution() != null)
            .map(PairRecord::pair)
            .toList();
    return running.size() == 1 ? Optional.of(running.get(0)) : Optional.empty();
  }

  private static boolean isRunning(RunLedger ledger, Pair pair) {
    PairRecord record = ledger.pair(pair).orElseThrow();
    return record.state() == PairState.RUNNING && record.execution() != null;
  }

  /**
   * The pairs holding a slot in either run at one moment: the first ledger is read again after the
   * second and must not have changed meanwhile (a slot is taken before a pair holds it in its
   * ledger and given back after, so what both ledgers hold is what the project's slots hold).
   */
  private static List<PairRecord> holdingAtOneMoment(LedgerStore store, RunId a, RunId b)
      throws Exception {
    while (true) {
      Optional<RunLedger> first = store.load(a);
      Optional<RunLedger> second = store.load(b);
      if (first.equals(store.load(a))) {
        List<PairRecord> holding = new ArrayList<>();
        for (Optional<RunLedger> ledger : List.of(first, second)) {
          ledger.ifPresent(
              l -> l.pairs().stream().filter(r -> r.state().holdsSlot()).forEach(holding::add));
        }
        return holding;
      }
    }
  }

  /** Waits until the pair's first execution recorded its exit code, and says it was 0. */
  private static void awaitExitCode(
      LocalWorkdir work, RunId run, Pair pair, CompletableFuture<Process> runner) throws Exception {
    awaitLedger(
        work,
        run,
        l -> {
          try {
            return Files.exists(execution(work, run, pair, 1, ".exit"));
          } catch (java.io.IOException | AssertionError notYet) {
            return false;
          }
        },
        runner);
    assertThat(Files.readString(execution(work, run, pair, 1, ".exit")).trim()).isEqualTo("0");
  }

  /** The pair's first job, once its JVM is up. */
  private static ProcessHandle awaitJob(
      LocalWorkdir work, RunId run, Pair pair, CompletableFuture<?> runner) throws Exception {
    ProcessHandle[] job = new ProcessHandle[1];
    awaitLedger(
        work,
        run,
        l -> {
          try {
            job[0] = jobProcess(work, run, pair, 1).orElse(null);
          } catch (java.io.IOException | AssertionError notYet) {
            job[0] = null;
          }
          return job[0] != null;
        },
        runner);
    return job[0];
  }
}

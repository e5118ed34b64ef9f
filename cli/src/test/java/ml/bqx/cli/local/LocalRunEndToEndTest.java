package ml.bqx.cli.local;

import static ml.bqx.cli.local.LocalRunFixture.PATIENCE;
import static ml.bqx.cli.local.LocalRunFixture.childJava;
import static ml.bqx.cli.local.LocalRunFixture.concat;
import static ml.bqx.cli.local.LocalRunFixture.execution;
import static ml.bqx.cli.local.LocalRunFixture.executions;
import static ml.bqx.cli.local.LocalRunFixture.jobProcess;
import static ml.bqx.cli.local.LocalRunFixture.ledger;
import static ml.bqx.cli.local.LocalRunFixture.localRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.HistoryEntry;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.report.RunReport;
import ml.bqx.core.testing.ChildProcesses;
import ml.bqx.job.testing.CommittedCheckpoints;
import ml.bqx.local.store.FolderObjectStore;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.trainingfile.TrainingFileExpectations;
import ml.bqx.trainingfile.TrainingFileFacts;
import ml.bqx.trainingfile.TrainingFileValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's "done when", through the real entry point {@code bqx local run}: a run that holds its
 * cap and makes valid files; a job killed mid-extract that resumes from its checkpoints; a runner
 * killed mid-run that resumes without running any pair twice.
 */
@ExtendWith(ChildProcesses.class)
class LocalRunEndToEndTest {
  private static final List<String> THREE = List.of("eurusd", "usdjpy", "audjpy");

  @TempDir Path dir;

  @Test
  void localRun_threePairsWithCapTwo_makesValidFiles_holdsTheCap_andTheSummaryAddsUp()
      throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    RunId run = RunId.of("e2e-cap");

    CliRun result = bqx(Map.of(), localRun(work, run, THREE, "2"));

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    RunLedger ledger = ledger(work, run);
    for (String name : THREE) {
      Pair pair = Pair.parse(name);
      assertThat(ledger.pair(pair).orElseThrow().state()).isEqualTo(PairState.SUCCEEDED);
      assertValidFile(
          work, run, pair, 1, SeedScale.TINY.rows(), columnsOf(SeedScale.TINY.tables()));
    }
    assertThat(maxHoldingSlots(ledger)).isEqualTo(2);
    // Each job fitted its extraction to its share of the machine: half the CPUs, for a cap of 2.
    int share = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    assertThat(Files.readString(execution(work, run, Pair.parse("usdjpy"), 1, ".log")))
        .contains("extract concurrency ")
        .contains(": fitted to the machine: " + share + " CPUs allow ");
    // What the user reads, and the run report the completion wrote, say the same.
    assertThat(result.out()).contains("3 pairs: 3 succeeded, 0 failed, 0 running, 0 queued");
    for (String name : THREE) {
      assertThat(result.out()).contains(work.outputFile(name).toString());
    }
    RunReport report = report(work, run);
    assertThat(report.finished()).isTrue();
    assertThat(report.succeeded()).isTrue();
    assertThat(report.pairsTotal()).isEqualTo(3);
    assertThat(report.counts().get(PairState.SUCCEEDED)).isEqualTo(3);
    assertThat(report.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
    assertThat(report.totalRows())
        .isEqualTo(3L * SeedScale.TINY.rows())
        .isEqualTo(report.pairs().stream().mapToLong(p -> p.rows()).sum());
  }

  @Test
  void localRun_jobKilledMidExtract_retriesOnAttemptTwoFromItsCheckpoints() throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    RunId run = RunId.of("e2e-kill-job");
    Pair victim = Pair.parse("eurusd");
    int tables = 24;
    // One table at a time over a bigger warehouse: slow enough to be caught mid-extract.
    CompletableFuture<CliRun> running =
        CompletableFuture.supplyAsync(
            () ->
                bqx(
                    Map.of("BQX_EXTRACT_CONCURRENCY", "1"),
                    concat(
                        localRun(work, run, List.of("eurusd", "usdjpy"), "2"),
                        "--seed-tables",
                        Integer.toString(tables),
                        "--seed-rows",
                        "4000")));

    awaitCommittedCheckpoints(work, victim, 2, running);
    ProcessHandle job = jobProcess(work, run, victim, 1).orElseThrow();
    // Paused, the job commits nothing more: what the store holds now is what attempt 2 finds.
    ChildProcesses.pause(List.of(job));
    Set<String> markedAtKill = committedCheckpoints(work, victim);
    job.destroyForcibly(); // SIGKILL: no event, no cleanup
    job.onExit().get(30, TimeUnit.SECONDS);
    // Short of its last checkpoint, the job had not finished its extract when it died.
    assertThat(markedAtKill).hasSizeLessThan(tables + 1);

    CliRun result = running.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    RunLedger ledger = ledger(work, run);
    PairRecord record = ledger.pair(victim).orElseThrow();
    assertThat(record.state()).isEqualTo(PairState.SUCCEEDED);
    assertThat(record.attempt()).isEqualTo(2);
    assertThat(ledger.pair(Pair.parse("usdjpy")).orElseThrow().attempt()).isEqualTo(1);
    assertValidFile(work, run, victim, 2, 4000, columnsOf(tables));

    // Attempt 1 died inside extract: killed by signal 9, its extract never finished.
    assertThat(Files.readString(execution(work, run, victim, 1, ".exit")).trim()).isEqualTo("137");
    assertThat(Files.readString(execution(work, run, victim, 1, ".log")))
        .doesNotContain("extract succeeded");
    // Attempt 2 reused every checkpoint attempt 1 had committed and extracted only the rest.
    String secondLog = Files.readString(execution(work, run, victim, 2, ".log"));
    for (String table : markedAtKill) {
      assertThat(secondLog).contains("reused the checkpoint of " + table + " (");
    }
    long reExtracted = secondLog.lines().filter(l -> l.contains("] extracted ")).count();
    assertThat(reExtracted).isEqualTo(tables + 1 - markedAtKill.size());
    java.util.regex.Matcher summary =
        java.util.regex.Pattern.compile("extract succeeded: (\\d+) tables, (\\d+) reused")
            .matcher(secondLog);
    assertThat(summary.find()).as(secondLog).isTrue();
    assertThat(Integer.parseInt(summary.group(1))).isEqualTo(tables + 1);
    assertThat(Integer.parseInt(summary.group(2))).isEqualTo(markedAtKill.size());
    System.out.printf(
        "job %s#1 killed after %d of %d checkpoints; attempt 2 reused %s, extracted %d%n",
        victim, markedAtKill.size(), tables + 1, summary.group(2), reExtracted);
  }

  @Test
  void localRun_runnerKilledMidRun_resumesWithoutRunningAnyPairTwice() throws Exception {
    LocalWorkdir work = new LocalWorkdir(dir.resolve("work"));
    RunId run = RunId.of("e2e-kill-runner");
    Path log = dir.resolve("runner.log");
    ProcessBuilder child =
        new ProcessBuilder(
                childJava(concat(localRun(work, run, THREE, "2"), "--seed-tables", "12")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // One table at a time: a job paused early in its extract has most of its work ahead.
    child.environment().put("BQX_EXTRACT_CONCURRENCY", "1");
    Process runner = child.start();
    // The runner's jobs outlive it (and so this JVM's view of its descendants): kept to kill.
    List<ProcessHandle> jobs = new ArrayList<>();
    try {
      runnerKilledMidRun_resumes(work, run, runner, log, jobs);
    } finally {
      jobs.addAll(runner.descendants().toList());
      ChildProcesses.destroyTree(runner);
      jobs.forEach(ChildProcesses::destroyTree);
    }
  }

  private void runnerKilledMidRun_resumes(
      LocalWorkdir work, RunId run, Process runner, Path log, List<ProcessHandle> jobs)
      throws Exception {
    // Kill it while one pair is done and another's job is running (paused till the runner died).
    KillMoment moment = awaitKillMoment(work, run, runner, log);
    jobs.addAll(runner.descendants().toList());
    runner.destroyForcibly(); // SIGKILL: no shutdown hook, no cancel of the jobs
    runner.onExit().get(30, TimeUnit.SECONDS);
    ChildProcesses.resume(List.of(moment.job()));
    RunLedger atKill = moment.ledger();
    Pair outlived = moment.pair();
    List<Pair> doneAtKill =
        atKill.pairs().stream()
            .filter(p -> p.state() == PairState.SUCCEEDED)
            .map(PairRecord::pair)
            .toList();
    List<Pair> runningAtKill =
        atKill.pairs().stream()
            .filter(p -> p.state() == PairState.RUNNING)
            .map(PairRecord::pair)
            .toList();
    assertThat(doneAtKill).isNotEmpty();
    assertThat(runningAtKill).isNotEmpty();

    CliRun resumed =
        bqx(Map.of(), "local", "run", "--resume", run.value(), "--workdir", work.root().toString());

    assertThat(resumed.exitCode()).as(resumed.out() + resumed.err()).isZero();
    assertThat(resumed.out()).contains("resumed run " + run);
    RunLedger ledger = ledger(work, run);
    assertThat(ledger.count(PairState.SUCCEEDED)).isEqualTo(3);
    for (String name : THREE) {
      Pair pair = Pair.parse(name);
      assertThat(ledger.pair(pair).orElseThrow().attempt()).as(name).isEqualTo(1);
      assertThat(executions(work, run, pair)).as("executions of " + name).hasSize(1);
      assertValidFile(work, run, pair, 1, SeedScale.TINY.rows(), columnsOf(12));
    }
    // The job that outlived its runner ended on its own with exit 0, its terminal event lost:
    // the resumed runner's reconcile settled it from its file, without running it again.
    assertThat(runningAtKill).contains(outlived);
    assertThat(Files.readString(execution(work, run, outlived, 1, ".exit")).trim()).isEqualTo("0");
    assertThat(Files.readString(execution(work, run, outlived, 1, ".log")))
        .contains("could not publish the job succeeded event");
    assertThat(maxHoldingSlots(ledger)).isLessThanOrEqualTo(2);
    System.out.printf(
        "runner killed with %s done and %s running (%s early); resumed: 3 succeeded, one"
            + " launch each%n",
        doneAtKill, runningAtKill, outlived);
  }

  // --- the entry point ---

  private CliRun bqx(Map<String, String> env, String... args) {
    return CliRun.of(dir, Clock.systemUTC(), env, args);
  }

  // --- what the run left ---

  private static RunReport report(LocalWorkdir work, RunId run) throws IOException {
    Path file = work.stagingDir().resolve("runs/" + run + "/report.json");
    return Json.fromBytes(Files.readAllBytes(file), RunReport.class);
  }

  /** Replays the ledger's history: the most pairs STARTING or RUNNING at any one moment. */
  static int maxHoldingSlots(RunLedger ledger) {
    Map<Pair, PairState> state = new HashMap<>();
    Map<PairState, Integer> seen = new EnumMap<>(PairState.class);
    int max = 0;
    for (HistoryEntry entry : ledger.history()) {
      state.put(entry.pair(), entry.to());
      int holding = (int) state.values().stream().filter(PairState::holdsSlot).count();
      seen.merge(entry.to(), 1, Integer::sum);
      max = Math.max(max, holding);
    }
    assertThat(seen).containsKeys(PairState.STARTING, PairState.RUNNING, PairState.SUCCEEDED);
    return max;
  }

  /**
   * Checks a training file twice, independently of the job that wrote it: the footer check the
   * completion uses (run, pair, attempt, horizons), and DuckDB reading every row.
   */
  private static void assertValidFile(
      LocalWorkdir work, RunId run, Pair pair, int attempt, long rows, int columns)
      throws IOException, SQLException {
    Path file = work.outputFile(pair.name());
    TrainingFileFacts facts =
        new TrainingFileValidator(new FolderObjectStore())
            .validate(
                file.toUri(),
                TrainingFileExpectations.minimums(rows, columns)
                    .withColumns(columns)
                    .withOrigin(run, pair, attempt));
    assertThat(facts.rows()).isEqualTo(rows);
    List<String> names = new ArrayList<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      try (ResultSet described =
          sql.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
        while (described.next()) {
          names.add(described.getString(1));
        }
      }
      assertThat(names).hasSize(columns).doesNotHaveDuplicates();
      String key = names.get(0);
      try (ResultSet counted =
          sql.executeQuery(
              "SELECT count(*), count(DISTINCT \""
                  + key
                  + "\") FROM read_parquet('"
                  + file
                  + "')")) {
        assertThat(counted.next()).isTrue();
        assertThat(counted.getLong(1)).isEqualTo(rows);
        assertThat(counted.getLong(2)).as("distinct keys").isEqualTo(rows);
      }
    }
  }

  private static int columnsOf(int tables) {
    return 1 + 7 + tables * SeedScale.TINY.columns();
  }

  // --- waiting for the moment to kill ---

  /** The tables of a pair whose checkpoints the staging store has committed (in its cache). */
  private static Set<String> committedCheckpoints(LocalWorkdir work, Pair pair) throws IOException {
    return CommittedCheckpoints.of(new FolderObjectStore(), work.stagingUri(), pair);
  }

  /** Waits until the store has committed {@code count} of the pair's checkpoints. */
  private static void awaitCommittedCheckpoints(
      LocalWorkdir work, Pair pair, int count, CompletableFuture<CliRun> running) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (committedCheckpoints(work, pair).size() < count) {
      if (running.isDone()) {
        throw new AssertionError("the run ended before the job could be killed: " + running.get());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("fewer than " + count + " checkpoints of " + pair + " committed");
      }
      Thread.sleep(20);
    }
  }

  /** The ledger when the runner is killed, the pair whose job outlives it, and that job. */
  private record KillMoment(RunLedger ledger, Pair pair, ProcessHandle job) {}

  /**
   * Waits until a pair succeeded, none is queued or starting (so no launch can begin before the
   * kill), and another pair's job is early in its extract; pauses that job so that it surely
   * outlives the runner: paused short of its last checkpoint, it has not sent its terminal event.
   */
  private static KillMoment awaitKillMoment(LocalWorkdir work, RunId run, Process runner, Path log)
      throws Exception {
    LedgerStore store = new LedgerStore(new FolderObjectStore(), work.stagingUri());
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    RunLedger ledger = null;
    while (System.nanoTime() < deadline) {
      if (!runner.isAlive()) {
        throw new AssertionError(
            "the runner ended first: " + Files.readString(log, StandardCharsets.UTF_8));
      }
      ledger = store.load(run).orElse(null);
      if (ledger != null
          && ledger.count(PairState.SUCCEEDED) >= 1
          && ledger.count(PairState.STARTING) == 0
          && ledger.count(PairState.QUEUED) == 0) {
        for (PairRecord record : ledger.pairs()) {
          if (record.state() == PairState.RUNNING
              && committedCheckpoints(work, record.pair()).size() < 3) {
            Optional<KillMoment> paused = pauseEarlyJob(work, run, ledger, record.pair());
            if (paused.isPresent()) {
              return paused.get();
            }
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError(
        "the run never had a pair done and another early in its job; last ledger: "
            + (ledger == null ? "none" : ledger.pairs()));
  }

  private static Optional<KillMoment> pauseEarlyJob(
      LocalWorkdir work, RunId run, RunLedger ledger, Pair pair) throws IOException {
    Optional<ProcessHandle> job = jobProcess(work, run, pair, 1);
    if (job.isEmpty()) {
      return Optional.empty();
    }
    ChildProcesses.pause(List.of(job.get()));
    if (job.get().isAlive() && committedCheckpoints(work, pair).size() < 3) {
      return Optional.of(new KillMoment(ledger, pair, job.get()));
    }
    ChildProcesses.resume(List.of(job.get()));
    return Optional.empty();
  }
}

package ml.bqx.cli.local;

import static ml.bqx.cli.local.LocalRunFixture.childJava;
import static ml.bqx.cli.local.LocalRunFixture.concat;
import static ml.bqx.cli.local.LocalRunFixture.functionHost;
import static ml.bqx.cli.local.LocalRunFixture.localRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.core.testing.ChildProcesses;
import ml.bqx.local.store.FolderObjectStore;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.trainingfile.TrainingFileExpectations;
import ml.bqx.trainingfile.TrainingFileValidator;

/**
 * A seeded chaos trial through {@code bqx local run} (issue 15): rounds of two runs of the same
 * pairs sharing one workdir and the project's cap, each run its own runner process, while kill -9
 * goes to jobs, the function hosts and the runners at moments the seed chooses. A killed runner is
 * resumed as an operator would. A sampler watches the live job processes throughout. Each round
 * ends when both runs have ended; then every pair must have succeeded with a valid file, no pair
 * launched more often than its attempts, and nothing staged left behind.
 *
 * <p>The seed fixes the order and the kind of the kills and the pauses between them; what is live
 * at each moment still depends on the machine, so a replay repeats the schedule, not every state.
 */
final class ChaosTrial {
  /** What to throw and at what. */
  record Settings(
      long seed, int kills, int pairsPerRun, int runCap, int projectCap, int maxAttempts) {
    /**
     * The settings, each overridable by a system property bqx.chaos.NAME (the script sets them).
     */
    Settings fromSystemProperties() {
      return new Settings(
          Long.getLong("bqx.chaos.seed", seed),
          Integer.getInteger("bqx.chaos.kills", kills),
          Integer.getInteger("bqx.chaos.pairs", pairsPerRun),
          Integer.getInteger("bqx.chaos.run-cap", runCap),
          Integer.getInteger("bqx.chaos.project-cap", projectCap),
          Integer.getInteger("bqx.chaos.max-attempts", maxAttempts));
    }
  }

  enum Kind {
    JOB,
    HOST,
    RUNNER
  }

  /** What the trial did and saw; {@code problems} empty is a pass. */
  record Report(
      Settings settings,
      int rounds,
      Map<Kind, Integer> kills,
      int resumes,
      int launches,
      int samples,
      int mostJobsAtOnce,
      List<String> problems) {
    String summary() {
      return String.format(
          "chaos trial, seed %d: %d rounds (%d runs of %d pairs, run cap %d, project cap %d),"
              + " %d kills (jobs %d, function hosts %d, runners %d), %d resumes, %d launches,"
              + " %d samples, at most %d jobs at once, %d problems%s",
          settings.seed(),
          rounds,
          rounds * 2,
          settings.pairsPerRun(),
          settings.runCap(),
          settings.projectCap(),
          kills.values().stream().mapToInt(Integer::intValue).sum(),
          kills.get(Kind.JOB),
          kills.get(Kind.HOST),
          kills.get(Kind.RUNNER),
          resumes,
          launches,
          samples,
          mostJobsAtOnce,
          problems.size(),
          problems.isEmpty()
              ? ""
              : ": " + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
    }
  }

  private static final Duration PATIENCE = Duration.ofMinutes(40);

  /** A function host restarts at most this often per runner; one more kill ends the runner. */
  private static final int HOST_RESTARTS = 3;

  private final Settings settings;
  private final LocalWorkdir work;
  private final Path logs;
  private final Random random;
  private final Map<Kind, Integer> kills = new EnumMap<>(Kind.class);
  private final List<Kind> firstKinds = new ArrayList<>(List.of(Kind.values()));
  private Kind next;
  private final List<String> problems = new ArrayList<>();
  private int resumes;
  private int launches;

  ChaosTrial(Settings settings, Path dir) throws IOException {
    this.settings = settings;
    this.work = new LocalWorkdir(dir.resolve("work"));
    this.logs = Files.createDirectories(dir.resolve("logs"));
    this.random = new Random(settings.seed());
    for (Kind kind : Kind.values()) {
      kills.put(kind, 0);
    }
    Collections.shuffle(firstKinds, random);
  }

  Report run() throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    int rounds = 0;
    int samples = 0;
    int most = 0;
    while (total() < settings.kills() || rounds == 0) {
      rounds++;
      List<Runner> runners = startRound(rounds);
      JobSampler sampler =
          new JobSampler(work, settings, runners.stream().map(r -> r.run).toList());
      Thread sampling = new Thread(sampler, "chaos-sampler");
      sampling.start();
      try {
        while (runners.stream().anyMatch(r -> !r.ended)) {
          if (System.nanoTime() > deadline) {
            problems.add("the trial did not end within " + PATIENCE);
            return report(rounds, samples, most);
          }
          Thread.sleep(300 + random.nextInt(2700));
          for (Runner runner : runners) {
            tend(runner);
          }
          if (total() < settings.kills()) {
            killOne(runners);
          }
        }
      } finally {
        sampler.stop();
        sampling.join();
        runners.forEach(r -> ChildProcesses.destroyTree(r.process.toHandle()));
      }
      samples += sampler.samples();
      most = Math.max(most, sampler.most());
      problems.addAll(sampler.problems());
      for (Runner runner : runners) {
        check(runner.run);
      }
    }
    return report(rounds, samples, most);
  }

  private Report report(int rounds, int samples, int most) {
    return new Report(
        settings,
        rounds,
        Map.copyOf(kills),
        resumes,
        launches,
        samples,
        most,
        List.copyOf(problems));
  }

  private int total() {
    return kills.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Two runs of the same pairs, which the project's slots and the pair guard keep apart; each round
   * takes the next pairs, so that its first runner seeds them before any job reads the warehouse.
   */
  private List<Runner> startRound(int round) throws Exception {
    List<Pair> universe = PairUniverse.ALL;
    int n = settings.pairsPerRun();
    int offset = ((round - 1) * n) % (universe.size() - n + 1);
    List<Pair> first = universe.subList(offset, offset + n);
    List<Pair> second = first;
    Runner a = new Runner(RunId.of("chaos-" + settings.seed() + "-r" + round + "a"), first);
    a.start(false);
    // The first runner seeds the warehouse if it is missing; the second finds it ready.
    awaitLedger(a);
    Runner b = new Runner(RunId.of("chaos-" + settings.seed() + "-r" + round + "b"), second);
    b.start(false);
    awaitLedger(b);
    return List.of(a, b);
  }

  private void awaitLedger(Runner runner) throws Exception {
    LedgerStore store = new LedgerStore(new FolderObjectStore(), work.stagingUri());
    long deadline = System.nanoTime() + LocalRunFixture.PATIENCE.toNanos();
    while (store.load(runner.run).isEmpty()) {
      if (!runner.process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "run " + runner.run + " never started: see " + runner.log + "\n" + runner.tail());
      }
      Thread.sleep(50);
    }
  }

  /** A runner that ended is resumed, unless its run ended well. */
  private void tend(Runner runner) throws Exception {
    if (runner.ended || runner.process.isAlive()) {
      return;
    }
    RunLedger ledger = LocalRunFixture.ledger(work, runner.run);
    if (ledger.isFinished()) {
      if (ledger.count(PairState.FAILED) > 0) {
        problems.add("run " + runner.run + " ended with failed pairs: " + runner.tail());
      }
      runner.ended = true;
      return;
    }
    resumes++;
    runner.start(true);
  }

  private void killOne(List<Runner> runners) throws IOException {
    // Each kind once first, in the seed's order, so that even a short trial throws all three; a
    // kind with nothing to kill now waits for its target, so that the kills follow the weights.
    if (next == null) {
      next = total() < firstKinds.size() ? firstKinds.get(total()) : Kind.values()[weighted()];
    }
    Kind kind = next;
    boolean killed =
        switch (kind) {
          case JOB -> killJob(runners);
          case HOST -> killHost(runners);
          case RUNNER -> killRunner(runners);
        };
    if (killed) {
      kills.merge(kind, 1, Integer::sum);
      next = null;
    }
  }

  /** Jobs half the time, hosts and runners a quarter each. */
  private int weighted() {
    int roll = random.nextInt(4);
    return roll < 2 ? 0 : roll - 1;
  }

  /** kill -9 of a live job's JVM, unless its pair has few attempts left. */
  private boolean killJob(List<Runner> runners) throws IOException {
    List<ProcessHandle> jobs = new ArrayList<>();
    for (Runner runner : runners) {
      for (LiveJob job : LiveJob.of(work, runner.run)) {
        if (job.attempt() <= settings.maxAttempts() / 2) {
          job.jvm().ifPresent(jobs::add);
        }
      }
    }
    if (jobs.isEmpty()) {
      return false;
    }
    jobs.get(random.nextInt(jobs.size())).destroyForcibly();
    return true;
  }

  private boolean killHost(List<Runner> runners) {
    List<Runner> live =
        runners.stream()
            .filter(r -> !r.ended && r.process.isAlive() && r.hostKills < HOST_RESTARTS)
            .toList();
    if (live.isEmpty()) {
      return false;
    }
    Runner runner = live.get(random.nextInt(live.size()));
    Optional<ProcessHandle> host = functionHost(runner.process.toHandle());
    if (host.isEmpty()) {
      return false;
    }
    host.get().destroyForcibly();
    runner.hostKills++;
    return true;
  }

  private boolean killRunner(List<Runner> runners) throws IOException {
    List<Runner> live = runners.stream().filter(r -> !r.ended && r.process.isAlive()).toList();
    if (live.isEmpty()) {
      return false;
    }
    Runner runner = live.get(random.nextInt(live.size()));
    runner.process.destroyForcibly();
    try {
      runner.process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return true;
  }

  /** What a finished run must be: all pairs built once per attempt, valid, nothing left staged. */
  private void check(RunId run) throws IOException, SQLException {
    RunLedger ledger = LocalRunFixture.ledger(work, run);
    for (PairRecord record : ledger.pairs()) {
      String where = run + "/" + record.pair();
      if (record.state() != PairState.SUCCEEDED) {
        problems.add(where + " ended " + record.state() + ": " + record.lastError());
        continue;
      }
      int launched = LocalRunFixture.executions(work, run, record.pair()).size();
      launches += launched;
      if (launched > record.attempt()) {
        problems.add(
            where + " launched " + launched + " times in " + record.attempt() + " attempts");
      }
      checkFile(record.pair(), where);
    }
    Path pairs = work.stagingDir().resolve("runs/" + run + "/pairs");
    if (Files.exists(pairs)) {
      try (Stream<Path> left = Files.walk(pairs)) {
        List<Path> staged = left.filter(p -> !p.equals(pairs)).toList();
        if (!staged.isEmpty()) {
          problems.add(run + " left " + staged.size() + " staged entries, e.g. " + staged.get(0));
        }
      }
    }
  }

  private void checkFile(Pair pair, String where) throws IOException, SQLException {
    Path file = work.outputFile(pair.name());
    int rows = SeedScale.TINY.rows();
    try {
      new TrainingFileValidator(new FolderObjectStore())
          .validate(file.toUri(), TrainingFileExpectations.minimums(rows, 2));
    } catch (IOException | RuntimeException invalid) {
      problems.add(where + ": its file is not valid: " + invalid.getMessage());
      return;
    }
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement();
        ResultSet counted = sql.executeQuery("SELECT count(*) FROM read_parquet('" + file + "')")) {
      counted.next();
      if (counted.getLong(1) != rows) {
        problems.add(where + ": DuckDB reads " + counted.getLong(1) + " rows, not " + rows);
      }
    }
  }

  /** One run's runner process, started again with --resume after it ended. */
  private final class Runner {
    final RunId run;
    final List<Pair> pairs;
    final Path log;
    Process process;
    int hostKills;
    boolean ended;

    Runner(RunId run, List<Pair> pairs) {
      this.run = run;
      this.pairs = pairs;
      this.log = logs.resolve(run + ".log");
    }

    void start(boolean resume) throws IOException {
      String[] args =
          resume
              ? new String[] {
                "local", "run", "--resume", run.value(), "--workdir", work.root().toString()
              }
              : concat(
                  localRun(
                      work,
                      run,
                      pairs.stream().map(Pair::name).toList(),
                      Integer.toString(settings.runCap())),
                  "--max-attempts",
                  Integer.toString(settings.maxAttempts()));
      ProcessBuilder builder =
          new ProcessBuilder(childJava(args))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder
          .environment()
          .put("BQX_PROJECT_MAX_CONCURRENT", Integer.toString(settings.projectCap()));
      builder.environment().put("BQX_EXTRACT_CONCURRENCY", "1"); // jobs long enough to be caught
      process = builder.start();
      hostKills = 0;
    }

    String tail() {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }
}

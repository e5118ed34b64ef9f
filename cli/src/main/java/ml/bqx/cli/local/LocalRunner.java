package ml.bqx.cli.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.status.StatusView;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.RunControl;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.functions.FunctionWiring;
import ml.bqx.local.cloud.LocalCloud;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.SeededWarehouse;

/**
 * Runs the event-driven flow on this machine: the DuckDB warehouse (seeded if missing), a local
 * Pub/Sub endpoint, the three functions in a child process configured by environment as the invoker
 * would, push subscriptions, a reconcile tick every few seconds (Cloud Scheduler's part), and jobs
 * as child processes launched by the dispatch function. Shows progress until the run ends.
 */
final class LocalRunner {
  private static final Duration RECONCILE_EVERY = Duration.ofSeconds(3);
  private static final Duration POLL = Duration.ofMillis(500);

  private final CliContext context;
  private LocalRunSpec spec;
  private final LocalWorkdir workdir;
  private final AtomicBoolean stopping = new AtomicBoolean();

  LocalRunner(CliContext context, LocalRunSpec spec) {
    this.context = context;
    this.spec = spec;
    this.workdir = spec.workdir();
  }

  int run() throws Exception {
    if (spec.resume()) {
      useTheRunsWarehouse();
    } else {
      Files.createDirectories(workdir.root());
      seedIfMissing();
    }
    Instant started = context.clock().instant();
    try (LocalCloud cloud =
        LocalCloud.start(
            LocalWorkdir.PROJECT,
            Deployment.FUNCTIONS,
            functionEnvironment(),
            workdir.root().resolve("functions.log"))) {
      Files.writeString(workdir.endpointFile(), cloud.pubsubHost(), StandardCharsets.UTF_8);
      ProgressView progress = new ProgressView(started);
      cloud.listen(Deployment.EVENTS_TOPIC, "bqx-local-progress", m -> heard(progress, m));
      ControlContext control =
          FunctionWiring.from(BqxConfig.from(cloud.environment()), context.clock());
      Thread hook = new Thread(() -> stop(control), "bqx-local-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        RunLedger ledger = start(new RunControl(control));
        context
            .out()
            .println(
                (spec.resume() ? "resumed" : "started")
                    + " run "
                    + ledger.run()
                    + ": "
                    + ledger.pairs().size()
                    + " pairs, cap "
                    + ledger.settings().maxConcurrent()
                    + ", workdir "
                    + workdir.root());
        cloud.startReconcileTick(RECONCILE_EVERY);
        ledger = follow(control, ledger, progress);
        return finish(ledger);
      } finally {
        if (!stopping.get()) {
          try {
            Runtime.getRuntime().removeShutdownHook(hook);
          } catch (IllegalStateException shuttingDown) {
            // The hook is running: it does the stopping.
          }
        }
      }
    } finally {
      Files.deleteIfExists(workdir.endpointFile());
    }
  }

  private void heard(ProgressView progress, BusMessage message) {
    try {
      progress.heard(StageEvent.parse(message));
    } catch (IllegalArgumentException notAStageEvent) {
      // Run summaries and error events share the topic: not progress.
    }
  }

  private RunLedger start(RunControl control) throws IOException {
    if (!spec.resume()) {
      return control.create(spec.run(), spec.pairs(), spec.settings());
    }
    RunLedger ledger =
        control
            .status(spec.run())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no run '" + spec.run() + "' to resume in " + workdir.stagingDir()));
    // Queued pairs wait for a message: publish theirs again (dispatch ignores duplicates).
    // Running pairs are the reconcile tick's: an ended execution goes through completion.
    for (PairRecord record : ledger.queued()) {
      control.publish(new PairMessage(ledger.run(), record.pair(), record.attempt()));
    }
    return ledger;
  }

  private RunLedger follow(ControlContext control, RunLedger ledger, ProgressView progress)
      throws IOException, InterruptedException {
    String last = "";
    boolean tty = context.interactive();
    Instant lastPrinted = Instant.MIN;
    while (!ledger.isFinished() && !stopping.get()) {
      Thread.sleep(POLL.toMillis());
      ledger = control.ledgers().load(ledger.run()).orElse(ledger);
      Instant now = context.clock().instant();
      String line = progress.line(ledger, now);
      if (tty) {
        context.out().print("\r\033[K" + line);
        context.out().flush();
      } else if (!withoutClocks(line).equals(last)
          || Duration.between(lastPrinted, now).toSeconds() >= 10) {
        context.out().println(line);
        lastPrinted = now;
      }
      last = withoutClocks(line);
    }
    if (tty) {
      context.out().println();
    }
    return ledger;
  }

  /** The line without what moves on its own (elapsed, tables/min, ETA): what changed in the run. */
  static String withoutClocks(String line) {
    return line.substring(line.indexOf(']'))
        .replaceAll("\\| [0-9]+ tables/min \\| ETA [^|]* \\|", "|");
  }

  private int finish(RunLedger ledger) {
    context.out().println();
    context.out().print(StatusView.render(ledger, context.clock().instant()));
    boolean allSucceeded = ledger.count(PairState.SUCCEEDED) == ledger.pairs().size();
    context.out().println();
    context.out().println("files (mirroring the output bucket):");
    for (PairRecord record : ledger.pairs()) {
      if (record.state() == PairState.SUCCEEDED) {
        context.out().println("  " + workdir.outputFile(record.pair().name()));
      }
    }
    context.out().println("logs: " + workdir.root().resolve("executions"));
    context
        .out()
        .println(
            "report: bqx report "
                + ledger.run()
                + " --html report.html --workdir "
                + workdir.root());
    if (!allSucceeded) {
      context
          .out()
          .println(
              "some pairs did not succeed: bqx retry "
                  + ledger.run()
                  + " --workdir "
                  + workdir.root());
    }
    return allSucceeded ? 0 : 1;
  }

  /** Ctrl-C: end the children through the launcher; the ledger stays as it is, resumable. */
  private void stop(ControlContext control) {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    try {
      RunLedger ledger = control.ledgers().load(spec.run()).orElse(null);
      if (ledger == null) {
        return;
      }
      for (PairRecord record : ledger.pairs()) {
        if (record.state().holdsSlot() && record.execution() != null) {
          control.launcher().cancel(record.execution());
        }
      }
      context.err().println();
      context
          .err()
          .println(
              "stopped: resume with bqx local run --resume "
                  + spec.run()
                  + " --workdir "
                  + workdir.root());
      context.err().flush();
    } catch (IOException | RuntimeException e) {
      context.err().println("bqx: while stopping: " + e.getMessage());
    }
  }

  /** The environment of the functions and, through the launcher, of every job. */
  Map<String, String> functionEnvironment() {
    Map<String, String> env = new LinkedHashMap<>(context.env());
    env.putAll(workdir.targetEnvironment());
    env.put(EnvKey.BQX_MAX_CONCURRENT.name(), Integer.toString(spec.settings().maxConcurrent()));
    env.put(
        EnvKey.BQX_PROJECT_MAX_CONCURRENT.name(),
        Integer.toString(spec.settings().maxConcurrent()));
    env.put(EnvKey.BQX_LOG_FORMAT.name(), "text");
    // Local launches take a second, not a function's 540 s: a resumed run frees a slot left
    // STARTING by a killed runner within half a minute instead of ten.
    env.put(EnvKey.BQX_LAUNCH_GRACE_SECONDS.name(), "30");
    if (spec.scale() != SeedScale.SEED || spec.seedTables() > 0 || spec.seedRows() > 0) {
      // Small warehouses make small files: the minimums follow the scale.
      env.put(EnvKey.BQX_MIN_ROWS.name(), Integer.toString(Math.max(1, spec.rows() / 2)));
      env.put(EnvKey.BQX_MIN_COLUMNS.name(), Integer.toString(spec.tables()));
    }
    env.putIfAbsent(EnvKey.BQX_EXTRACT_CONCURRENCY.name(), "4");
    return env;
  }

  /**
   * A resumed run goes on with the warehouse it started with, as it is: its jobs may still be
   * reading it (a seed would need its write lock), and its pairs are the ledger's, not the flags'.
   */
  private void useTheRunsWarehouse() throws IOException {
    String name =
        new SeededWarehouse(workdir.warehouseFile())
            .name()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no warehouse to resume run '"
                            + spec.run()
                            + "' with in "
                            + workdir.root()));
    spec = spec.withWarehouse(name);
  }

  private void seedIfMissing() throws IOException {
    SeededWarehouse warehouse = new SeededWarehouse(workdir.warehouseFile());
    String wanted = spec.warehouseName();
    List<Pair> pairs = warehouse.missing(wanted, spec.pairs());
    if (pairs.isEmpty()) {
      return;
    }
    context
        .out()
        .println(
            "seeding the "
                + wanted
                + " warehouse for "
                + pairs.size()
                + " pairs: "
                + workdir.warehouseFile());
    warehouse.add(
        wanted,
        new SeedSpec(pairs, spec.tables(), spec.rows(), spec.scale().columns(), 42),
        SeedProgress.everyTenth(
            line -> {
              context.out().println("  " + line);
              context.out().flush();
            }));
  }
}

package ml.bqx.cli.local;

import java.time.Duration;
import java.util.List;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.RunControl;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.port.DamagedObjectException;
import ml.bqx.core.progress.ProgressStore;
import ml.bqx.core.text.OneLine;
import ml.bqx.functions.FunctionWiring;
import ml.bqx.local.cloud.LocalCloud;
import ml.bqx.local.launcher.ProcessJobLauncher;

/**
 * Runs the event-driven flow on this machine, step by step: the warehouse (seeded if missing); the
 * local cloud (Pub/Sub endpoint, topics and push subscriptions as terraform makes them, the three
 * functions in a child JVM, restarted if it dies); the run, created or resumed; the reconcile tick;
 * the progress until the run ends, the jobs being child processes the dispatch function launches;
 * the epilogue.
 */
final class LocalRunner {
  private static final Duration RECONCILE_EVERY = Duration.ofSeconds(3);

  private final CliContext context;
  private final LocalRunSpec asked;

  LocalRunner(CliContext context, LocalRunSpec spec) {
    this.context = context;
    this.asked = spec;
  }

  int run() throws Exception {
    LocalRunSpec spec = new LocalWarehouse(context).ready(asked);
    LocalWorkdir workdir = spec.workdir();
    ProgressView progress = new ProgressView(context.clock().instant());
    try (LocalCloud cloud =
        LocalCloud.start(
            LocalWorkdir.PROJECT,
            Deployment.FUNCTIONS,
            LocalRunEnvironment.of(context.env(), spec),
            workdir.root().resolve("functions.log"),
            notice -> context.out().println(notice))) {
      workdir.recordEndpoint(spec.run(), cloud.pubsubHost());
      try {
        ControlContext control =
            FunctionWiring.from(BqxConfig.from(cloud.environment()), context.clock());
        try (StopHook stop = StopHook.install(context, control, spec)) {
          RunLedger ledger = RunStart.begin(new RunControl(control), spec);
          announce(spec, ledger, control);
          cloud.startReconcileTick(RECONCILE_EVERY);
          ProgressPrinter printer =
              new ProgressPrinter(
                  context, progress, new ProgressStore(control.staging(), control.stagingRoot()));
          try {
            ledger =
                printer.follow(
                    control.ledgers(),
                    ledger,
                    () -> stop.stopping() || cloud.failure().isPresent());
          } catch (DamagedObjectException damaged) {
            return damaged(spec, damaged, endJobs(control, spec));
          }
          if (stop.stopping()) {
            return 130; // the stop hook said what comes next
          }
          if (cloud.failure().isPresent()) {
            return abandoned(spec, cloud.failure().get());
          }
          return new Epilogue(context, workdir).print(ledger);
        }
      } finally {
        workdir.forgetEndpoint(spec.run(), cloud.pubsubHost());
      }
    }
  }

  private void announce(LocalRunSpec spec, RunLedger ledger, ControlContext control) {
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
                + " (project cap "
                + control.settings().projectMaxConcurrent()
                + "), workdir "
                + spec.workdir().root());
  }

  /**
   * The run's ledger was damaged under it: nothing can go on, and nothing overwrites it. Its jobs
   * are ended rather than left running with nobody to follow them.
   */
  /**
   * Ends the run's jobs still running, found from the launcher's files: the ledger is unreadable.
   */
  private static List<String> endJobs(ControlContext control, LocalRunSpec spec)
      throws java.io.IOException {
    List<String> running = ProcessJobLauncher.unfinished(spec.workdir().root(), spec.run());
    for (String execution : running) {
      control.launcher().cancel(execution);
    }
    return running;
  }

  private int damaged(LocalRunSpec spec, DamagedObjectException damaged, List<String> ended) {
    context
        .err()
        .println(
            "bqx: "
                + OneLine.of(damaged.getMessage())
                + "; run "
                + spec.run()
                + " stopped"
                + (ended.isEmpty()
                    ? ""
                    : ", its running jobs ended (" + String.join(", ", ended) + ")")
                + "; the ledger was left as it is: start a new run with bqx local run --workdir "
                + spec.workdir().root());
    return 1;
  }

  /** The functions are gone for good: the run stays as it is, resumable. */
  private int abandoned(LocalRunSpec spec, String why) {
    context
        .err()
        .println(
            "bqx: "
                + why
                + ": run "
                + spec.run()
                + " stopped; resume it with bqx local run --resume "
                + spec.run()
                + " --workdir "
                + spec.workdir().root());
    return 1;
  }
}

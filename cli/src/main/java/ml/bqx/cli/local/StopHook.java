package ml.bqx.cli.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import ml.bqx.cli.context.CliContext;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.RunControl;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.pair.Pair;

/**
 * Ctrl-C while a local run is followed: settles the jobs that already succeeded, ends the others
 * through the launcher and says how to resume (the one next step: the runner prints nothing more);
 * the ledger stays resumable. Installed for the time the run is followed.
 */
final class StopHook implements AutoCloseable {
  private final CliContext context;
  private final ControlContext control;
  private final LocalRunSpec spec;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Thread hook = new Thread(this::stop, "bqx-local-stop");

  private StopHook(CliContext context, ControlContext control, LocalRunSpec spec) {
    this.context = context;
    this.control = control;
    this.spec = spec;
  }

  static StopHook install(CliContext context, ControlContext control, LocalRunSpec spec) {
    StopHook stop = new StopHook(context, control, spec);
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /** True once the process is being stopped: following the run ends. */
  boolean stopping() {
    return stopping.get();
  }

  private void stop() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    try {
      // What already ended well is kept, as reconcile would keep it, not cancelled and built again.
      new RunControl(control).settleSucceeded(spec.run());
      RunLedger ledger = control.ledgers().load(spec.run()).orElse(null);
      if (ledger == null) {
        return;
      }
      endJobs(ledger);
      context.err().println();
      context
          .err()
          .println(
              "stopped: resume with bqx local run --resume "
                  + spec.run()
                  + " --workdir "
                  + spec.workdir().root());
      context.err().flush();
    } catch (IOException | RuntimeException e) {
      context.err().println("bqx: while stopping: " + e.getMessage());
    }
  }

  /** Ends the jobs the ledger says are running; returns their pairs. */
  private List<Pair> endJobs(RunLedger ledger) throws IOException {
    List<Pair> ended = new ArrayList<>();
    for (PairRecord record : ledger.pairs()) {
      if (record.state().holdsSlot() && record.execution() != null) {
        control.launcher().cancel(record.execution());
        ended.add(record.pair());
      }
    }
    return ended;
  }

  /** Uninstalls the hook, unless it is running: then it does the stopping. */
  @Override
  public void close() {
    if (stopping.get()) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it does the stopping.
    }
  }
}

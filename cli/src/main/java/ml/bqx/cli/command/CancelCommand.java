package ml.bqx.cli.command;

import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.status.StatusView;
import ml.bqx.cli.target.Control;
import ml.bqx.cli.target.RunTargetOptions;
import ml.bqx.core.control.Cancellation;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.message.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bqx cancel RUN}: Cancels a run: queued pairs cancelled, running executions stopped. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Cancels a run: queued pairs cancelled, running executions stopped.")
public final class CancelCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin RunTargetOptions run;

  CancelCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    RunTargetOptions.Found found = run.resolve(context);
    RunId id = found.run();
    Cancellation done = Control.of(found.target(), context.clock()).cancel(id);
    context.out().println("run " + id + " cancelled: " + StatusView.counts(done.ledger()));
    context.out().println("  " + said("stopped", "execution", done.stopped(), true));
    if (!done.launching().isEmpty()) {
      context
          .out()
          .println("  " + said("stopping as they launch", "pair", done.launching(), false));
    }
    context
        .out()
        .println(
            "  " + said("cancelled before they started", "queued pair", done.dequeued(), false));
    return 0;
  }

  /** "stopped 1 execution: usdjpy attempt 1 (exec-...)", or "stopped no execution". */
  private static String said(
      String what, String noun, List<PairRecord> pairs, boolean withExecution) {
    if (pairs.isEmpty()) {
      return what + ": no " + noun;
    }
    StringJoiner names = new StringJoiner(", ");
    for (PairRecord record : pairs) {
      names.add(
          record.pair()
              + " attempt "
              + record.attempt()
              + (withExecution ? " (" + record.execution() + ")" : ""));
    }
    return what + ": " + pairs.size() + " " + noun + (pairs.size() == 1 ? "" : "s") + ", " + names;
  }
}

package ml.bqx.cli.command;

import java.util.concurrent.Callable;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.status.StatusView;
import ml.bqx.cli.target.Control;
import ml.bqx.cli.target.Target;
import ml.bqx.cli.target.TargetOptions;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code bqx cancel RUN}: Cancels a run: queued pairs cancelled, running executions stopped. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    description = "Cancels a run: queued pairs cancelled, running executions stopped.")
public final class CancelCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin TargetOptions target;

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String run;

  CancelCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    RunId id = RunId.of(run);
    Target resolved = target.resolve(context);
    resolved.ledger(id);
    RunLedger ledger = Control.of(resolved, context.clock()).cancel(id);
    context.out().println("run " + id + " cancelled: " + StatusView.counts(ledger));
    return 0;
  }
}

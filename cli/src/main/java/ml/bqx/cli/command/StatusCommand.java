package ml.bqx.cli.command;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.status.StatusView;
import ml.bqx.cli.target.Target;
import ml.bqx.cli.target.TargetOptions;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bqx status [RUN] [--json] [--watch]}: a run's pairs, states, attempts and files. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Shows a run (the newest when none is named): each pair's state and attempt.")
public final class StatusCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin TargetOptions target;

  @Parameters(arity = "0..1", paramLabel = "RUN", description = "The run id (default: newest).")
  String run;

  @Option(names = "--json", description = "Print the run's ledger as JSON.")
  boolean json;

  @Option(names = "--watch", description = "Redraw every few seconds until the run finishes.")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "3",
      description = "Seconds between redraws with --watch (default: ${DEFAULT-VALUE}).")
  int intervalSeconds;

  StatusCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    if (intervalSeconds < 1) {
      throw new IllegalArgumentException("--interval must be 1 or more, not " + intervalSeconds);
    }
    Target resolved = target.resolve(context);
    Optional<RunId> named = Optional.ofNullable(run).map(RunId::of);
    RunLedger ledger = resolved.ledgerOrNewest(named);
    print(ledger);
    while (watch && !ledger.isFinished()) {
      Thread.sleep(Duration.ofSeconds(intervalSeconds).toMillis());
      ledger = resolved.ledger(ledger.run());
      print(ledger);
    }
    return 0;
  }

  private void print(RunLedger ledger) {
    if (json) {
      context.out().println(Json.toPrettyString(ledger));
    } else {
      context.out().print(StatusView.render(ledger, context.clock().instant()));
    }
    context.out().flush();
  }
}

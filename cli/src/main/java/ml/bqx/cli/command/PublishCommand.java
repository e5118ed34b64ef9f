package ml.bqx.cli.command;

import java.util.concurrent.Callable;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.target.Control;
import ml.bqx.cli.target.Target;
import ml.bqx.cli.target.TargetOptions;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bqx publish PAIR [--run ID]}: one pair message on the pairs topic. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = "Publishes one pair message (without --run: the day's ad-hoc run).")
public final class PublishCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin TargetOptions target;

  @Parameters(paramLabel = "PAIR", description = "The pair, e.g. eurusd.")
  String pair;

  @Option(names = "--run", paramLabel = "ID", description = "The run the pair belongs to.")
  String run;

  @Option(names = "--attempt", paramLabel = "N", defaultValue = "1", description = "Attempt.")
  int attempt;

  PublishCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    PairMessage message =
        PairMessage.of(run == null ? null : RunId.of(run), Pair.parse(pair), attempt);
    Target resolved = target.resolve(context);
    if (message.run() != null) {
      // Dispatch would only refuse it in the functions' log: refuse here, before publishing.
      RunLedger ledger = resolved.ledger(message.run());
      if (ledger.pair(message.pair()).isEmpty()) {
        throw new IllegalArgumentException(
            "pair " + message.pair() + " is not in run '" + message.run() + "'");
      }
    }
    String id = Control.of(resolved, context.clock()).publish(message);
    context
        .out()
        .println(
            "published "
                + message.pair()
                + (message.run() == null ? " (ad-hoc run of today)" : " to run " + message.run())
                + ": message "
                + id);
    return 0;
  }
}

package ml.bqx.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.status.StatusView;
import ml.bqx.cli.target.Target;
import ml.bqx.cli.target.TargetOptions;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.progress.ProgressStore;
import ml.bqx.core.progress.RunProgress;
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

  @Option(
      names = "--json",
      description =
          "Print the run's ledger as JSON, with what its running jobs report under \"live\".")
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
    ProgressStore progress = new ProgressStore(resolved.stagingStore(), resolved.stagingRoot());
    print(ledger, progress);
    while (watch && !ledger.isFinished()) {
      Thread.sleep(Duration.ofSeconds(intervalSeconds).toMillis());
      ledger = resolved.ledger(ledger.run());
      print(ledger, progress);
    }
    return 0;
  }

  /** The ledger and the progress objects of its running pairs: one read each, every redraw. */
  private void print(RunLedger ledger, ProgressStore progress) throws IOException {
    Instant now = context.clock().instant();
    RunProgress live = RunProgress.of(ledger, progress.running(ledger), now);
    if (json) {
      ObjectNode tree = Json.MAPPER.valueToTree(ledger);
      tree.set("live", Json.MAPPER.valueToTree(live));
      context.out().println(Json.toPrettyString(tree));
    } else {
      context.out().print(StatusView.render(ledger, live, now));
    }
    context.out().flush();
  }
}

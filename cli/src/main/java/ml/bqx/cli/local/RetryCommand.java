package ml.bqx.cli.local;

import java.util.Optional;
import java.util.concurrent.Callable;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.status.StatusView;
import ml.bqx.cli.target.Control;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.cli.target.RunTargetOptions;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bqx retry RUN}: Re-runs only the pairs of a finished run that did not succeed. On a local
 * workdir with no runner up it starts one for the run and follows it to its end.
 */
@Command(
    name = "retry",
    mixinStandardHelpOptions = true,
    description = "Re-runs only the pairs of a finished run that did not succeed.")
public final class RetryCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin RunTargetOptions run;

  RetryCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    RunTargetOptions.Found found = run.resolve(context);
    RunId id = found.run();
    Optional<LocalWorkdir> local = found.target().workdir();
    if (local.isPresent() && local.get().liveEndpoint().isEmpty()) {
      // Nothing would build the pairs without a runner: start one here, as bqx local run --resume
      // does, which retries the pairs of a finished run that did not succeed.
      context
          .out()
          .println(
              "no local runner is live for "
                  + local.get().root()
                  + ": starting one to retry run "
                  + id
                  + " (as bqx local run --resume "
                  + id
                  + ")");
      return LocalResume.run(context, local.get(), id);
    }
    RunLedger ledger = Control.of(found.target(), context.clock()).retry(id);
    context.out().println("run " + id + " retried: " + StatusView.counts(ledger));
    return 0;
  }
}

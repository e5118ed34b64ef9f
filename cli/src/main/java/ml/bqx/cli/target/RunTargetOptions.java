package ml.bqx.cli.target;

import java.io.IOException;
import ml.bqx.cli.context.CliContext;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * What a command that acts on one existing run takes ({@code cancel}, {@code retry}, {@code
 * report}): where it acts and the run's id; the run must have a ledger there.
 */
public final class RunTargetOptions {
  @Mixin TargetOptions target;

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String run;

  /** The run's target and ledger, or a one-line refusal (a bad id, no such run there). */
  public Found resolve(CliContext context) throws IOException {
    RunId id = RunId.of(run);
    Target resolved = target.resolve(context);
    return new Found(id, resolved, resolved.ledger(id));
  }

  /** The run as found: its id, where it is, and its ledger when it was read. */
  public record Found(RunId run, Target target, RunLedger ledger) {}
}

package ml.bqx.cli.local;

import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.local.warehouse.SeedScale;

/**
 * Goes on with a local run in this process, as {@code bqx local run --resume RUN} does: for the
 * commands that act on a workdir whose runner is not up ({@code bqx retry}), so that they start
 * what they need instead of asking for it. The run's own pairs, settings and warehouse are used.
 */
final class LocalResume {
  private LocalResume() {}

  /** Runs the resumed run to its end; returns the exit code {@code bqx local run} would. */
  static int run(CliContext context, LocalWorkdir workdir, RunId run) throws Exception {
    LocalRunSpec spec =
        new LocalRunSpec(
            workdir, run, true, PairUniverse.PRODUCTION, new RunSettings(1, 1, 0), SeedScale.TINY);
    return new LocalRunner(context, spec).run();
  }
}

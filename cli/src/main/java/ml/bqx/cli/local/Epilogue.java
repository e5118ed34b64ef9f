package ml.bqx.cli.local;

import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.status.StatusView;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.report.RunOutcome;

/**
 * What a local run prints when it ends: every pair's status, the files made, where the logs are,
 * how to get the report and, if a pair did not succeed, how to retry. Exit code 0 only if every
 * pair succeeded, 3 if the run succeeded with failures (within its tolerated percentage).
 */
final class Epilogue {
  private final CliContext context;
  private final LocalWorkdir workdir;

  Epilogue(CliContext context, LocalWorkdir workdir) {
    this.context = context;
    this.workdir = workdir;
  }

  /** A run whose failed pairs are within its tolerated percentage. */
  static final int SUCCEEDED_WITH_FAILURES = 3;

  /** 0 if every pair succeeded, 3 if the run succeeded with failures, 1 otherwise. */
  static int exitCode(RunOutcome outcome) {
    return switch (outcome) {
      case SUCCEEDED -> 0;
      case SUCCEEDED_WITH_FAILURES -> SUCCEEDED_WITH_FAILURES;
      default -> 1;
    };
  }

  /** Prints the end of the run; returns the exit code. */
  int print(RunLedger ledger) {
    context.out().println();
    context.out().print(StatusView.render(ledger, context.clock().instant()));
    boolean allSucceeded = ledger.count(PairState.SUCCEEDED) == ledger.pairs().size();
    context.out().println();
    context.out().println("files (mirroring the output bucket):");
    for (PairRecord record : ledger.pairs()) {
      if (record.state() == PairState.SUCCEEDED) {
        context.out().println("  " + workdir.outputFile(record.pair().name()));
      }
    }
    context.out().println("logs: " + workdir.root().resolve("executions"));
    context
        .out()
        .println(
            "report: bqx report "
                + ledger.run()
                + " --html report.html --workdir "
                + workdir.root());
    if (!allSucceeded) {
      context
          .out()
          .println(
              "some pairs did not succeed: retry them with bqx local run --resume "
                  + ledger.run()
                  + " --workdir "
                  + workdir.root());
    }
    return exitCode(RunOutcome.of(ledger));
  }
}

package ml.bqx.cli.dryrun;

import ml.bqx.cli.context.CliContext;
import ml.bqx.core.json.Json;

/** Prints a dry run as text or JSON; the exit code says whether every pair would get going. */
public final class DryRunOutput {
  private DryRunOutput() {}

  /** 0 when every pair has its targets table; 1 when some pair would fail at discovery. */
  public static int print(CliContext context, DryRunReport report, boolean json) {
    if (json) {
      context.out().println(Json.toPrettyString(report));
    } else {
      context.out().print(DryRunView.render(report));
    }
    return report.hasProblems() ? 1 : 0;
  }
}

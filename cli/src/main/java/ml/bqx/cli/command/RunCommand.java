package ml.bqx.cli.command;

import java.util.concurrent.Callable;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.dryrun.CloudDryRun;
import ml.bqx.cli.dryrun.DryRunOptions;
import ml.bqx.cli.dryrun.DryRunOutput;
import ml.bqx.cli.dryrun.DryRunReport;
import ml.bqx.cli.status.StatusView;
import ml.bqx.cli.target.Control;
import ml.bqx.cli.target.Target;
import ml.bqx.cli.target.TargetOptions;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bqx run}: creates a run's ledger and publishes its pair messages; the flow does the rest.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Starts a run: creates its ledger and publishes a message per pair.")
public final class RunCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin TargetOptions target;
  @Mixin PairSelection selection;
  @Mixin RunPolicyOptions policy;

  @Option(
      names = "--max-concurrent",
      paramLabel = "N",
      description = "Pairs running at once (BQX_MAX_CONCURRENT, default 4).")
  Integer maxConcurrent;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "Attempts per pair (default 3).")
  Integer maxAttempts;

  @Option(
      names = "--run",
      paramLabel = "ID",
      description = "Run id (default: run-<UTC date and time>).")
  String run;

  @Mixin DryRunOptions dryRun;

  @Option(
      names = "--warehouse",
      paramLabel = "URI",
      description =
          "With --dry-run: the warehouse to size (BQX_WAREHOUSE; default"
              + " bigquery://BQX_PROJECT/bqx_ml_v3_features_v2).")
  String warehouse;

  RunCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    Target resolved = target.resolve(context);
    RunSettings settings =
        policy.apply(
            RunSettingsOptions.settings(resolved, maxConcurrent, maxAttempts),
            RunSettings.DEFAULT_BACKOFF_SECONDS);
    if (!dryRun.requested() && (dryRun.json() || warehouse != null)) {
      throw new IllegalArgumentException("--json and --warehouse go with --dry-run");
    }
    if (dryRun.requested()) {
      DryRunReport report =
          CloudDryRun.plan(
              resolved,
              CloudDryRun.warehouse(resolved.config(), warehouse),
              policy.ordered(selection.pairs()),
              settings,
              context.clock().instant());
      return DryRunOutput.print(context, report, dryRun.json());
    }
    RunId id = run != null ? RunId.of(run) : RunIds.next(context.clock());
    RunLedger ledger =
        Control.of(resolved, context.clock())
            .create(id, policy.ordered(selection.pairs()), settings);
    context.out().println("run " + ledger.run() + " started: " + StatusView.counts(ledger));
    context.out().println("watch it with: bqx status " + ledger.run() + " --watch");
    return 0;
  }
}

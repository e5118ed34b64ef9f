package ml.bqx.cli.local;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import ml.bqx.cli.command.PairSelection;
import ml.bqx.cli.command.RunIds;
import ml.bqx.cli.command.RunPolicyOptions;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.dryrun.DryRunOptions;
import ml.bqx.cli.dryrun.DryRunOutput;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.local.warehouse.SeedScale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bqx local run}: seeds, starts the stand-ins and the functions, runs the pairs. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Builds training files on this machine: seeds a DuckDB warehouse if missing, starts a"
            + " local Pub/Sub endpoint and the three functions on loopback, publishes the pairs"
            + " and shows progress until every pair is done. Files:"
            + " <workdir>/output/training_<pair>.parquet.")
public final class LocalRunCommand implements Callable<Integer> {
  /** A local job's faults are this machine's: a short first wait, still doubled and jittered. */
  private static final int LOCAL_BACKOFF_SECONDS = 5;

  private final CliContext context;

  @Mixin PairSelection selection;
  @Mixin RunPolicyOptions policy;

  @Option(
      names = "--max-concurrent",
      paramLabel = "N",
      defaultValue = "4",
      description = "Pairs running at once (default: ${DEFAULT-VALUE}).")
  int maxConcurrent;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      defaultValue = "3",
      description = "Attempts per pair (default: ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--scale",
      paramLabel = "tiny|small|seed",
      defaultValue = "small",
      description = "Warehouse size when seeding (default: ${DEFAULT-VALUE}).")
  String scale;

  @Option(
      names = "--workdir",
      paramLabel = "DIR",
      defaultValue = ".bqx",
      description = "Where everything goes (default: ${DEFAULT-VALUE}).")
  Path workdir;

  @Option(
      names = "--seed-tables",
      paramLabel = "N",
      defaultValue = "0",
      description = "Advanced: feature tables per pair when seeding, instead of the scale's.")
  int seedTables;

  @Option(
      names = "--seed-rows",
      paramLabel = "N",
      defaultValue = "0",
      description = "Advanced: rows per table when seeding, instead of the scale's.")
  int seedRows;

  @Option(names = "--run", paramLabel = "ID", description = "Run id (default: run-<UTC time>).")
  String run;

  @Option(
      names = "--resume",
      paramLabel = "RUN",
      description =
          "Continue a run whose runner was stopped, from its ledger and checkpoints, on the"
              + " workdir's warehouse as it is (the run's own pairs and scale: --pairs and"
              + " --scale are not needed).")
  String resume;

  @Mixin DryRunOptions dryRun;

  LocalRunCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException(
          "--max-concurrent must be 1 or more, not " + maxConcurrent);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("--max-attempts must be 1 or more, not " + maxAttempts);
    }
    if (resume != null && run != null) {
      throw new IllegalArgumentException("--resume names the run: leave out --run");
    }
    if (seedTables < 0 || seedRows < 0) {
      throw new IllegalArgumentException(
          "--seed-tables and --seed-rows must be 1 or more (or 0 for the scale's)");
    }
    if (dryRun.requested() && resume != null) {
      throw new IllegalArgumentException("--dry-run plans a new run: leave out --resume");
    }
    if (dryRun.json() && !dryRun.requested()) {
      throw new IllegalArgumentException("--json goes with --dry-run");
    }
    SeedScale seedScale = SeedScale.parse(scale);
    List<ml.bqx.core.pair.Pair> pairs = policy.ordered(selection.pairs());
    RunId id =
        resume != null
            ? RunId.of(resume)
            : run != null ? RunId.of(run) : RunIds.next(context.clock());
    LocalRunSpec spec =
        new LocalRunSpec(
            new LocalWorkdir(context.cwd().resolve(workdir)),
            id,
            resume != null,
            pairs,
            policy.apply(new RunSettings(maxConcurrent, maxAttempts, 0), LOCAL_BACKOFF_SECONDS),
            seedScale,
            seedTables,
            seedRows);
    if (dryRun.requested()) {
      return DryRunOutput.print(context, LocalDryRun.plan(context, spec), dryRun.json());
    }
    return new LocalRunner(context, spec).run();
  }
}

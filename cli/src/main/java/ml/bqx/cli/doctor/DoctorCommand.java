package ml.bqx.cli.doctor;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import ml.bqx.cli.command.PairSelection;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.target.Target;
import ml.bqx.cli.target.TargetOptions;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.warehouse.SeedScale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bqx doctor}: checks, before a run, what runs have failed on; one line per check, exit 0
 * only when every check passes. With {@code --workdir} the checks of a local run, else the cloud's.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Checks before a run: one line per check, ok or the problem and its fix; exit code 0"
            + " only if all pass. With --workdir DIR the checks of 'bqx local run' (Java, the"
            + " workdir, its disk, the warehouse's tables); else the cloud's.")
public final class DoctorCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin TargetOptions target;
  @Mixin PairSelection selection;

  @Option(
      names = "--scale",
      paramLabel = "tiny|small|seed",
      defaultValue = "small",
      description = "With --workdir: the warehouse size the local run seeds (default: small).")
  String scale;

  @Option(
      names = "--max-concurrent",
      paramLabel = "N",
      description = "Pairs running at once (BQX_MAX_CONCURRENT, default 4).")
  Integer maxConcurrent;

  DoctorCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Target resolved = target.resolve(context);
    List<Pair> pairs = selection.pairs();
    int atOnce =
        maxConcurrent != null
            ? maxConcurrent
            : resolved.config().positiveInt(EnvKey.BQX_MAX_CONCURRENT);
    if (atOnce < 1) {
      throw new IllegalArgumentException("--max-concurrent must be 1 or more, not " + atOnce);
    }
    List<CheckResult> results =
        resolved.workdir().isPresent()
            ? LocalChecks.run(
                resolved.workdir().get(),
                pairs,
                SeedScale.parse(scale),
                atOnce,
                Path.of(System.getProperty("java.home")),
                resolved.config())
            : CloudChecks.run(resolved, pairs);
    results.forEach(result -> context.out().println(result.line()));
    long failed = results.stream().filter(r -> !r.ok()).count();
    context
        .out()
        .println(
            failed == 0
                ? "all " + results.size() + " checks passed"
                : failed + " of " + results.size() + " checks failed");
    return failed == 0 ? 0 : 1;
  }
}

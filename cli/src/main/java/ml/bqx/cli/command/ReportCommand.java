package ml.bqx.cli.command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.report.HtmlRunReport;
import ml.bqx.cli.target.Target;
import ml.bqx.cli.target.TargetOptions;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.report.CostModel;
import ml.bqx.core.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bqx report RUN --html FILE}: the run's timeline and figures as one HTML page. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Writes a self-contained HTML page with a run's timeline and figures.")
public final class ReportCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin TargetOptions target;

  @Parameters(paramLabel = "RUN", description = "The run id.")
  String run;

  @Option(names = "--html", required = true, paramLabel = "FILE", description = "Page to write.")
  Path html;

  ReportCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    Target resolved = target.resolve(context);
    RunLedger ledger = resolved.ledger(RunId.of(run));
    RunReport report =
        RunReport.of(ledger, CostModel.from(resolved.config()), context.clock().instant());
    Path file = context.cwd().resolve(html).toAbsolutePath();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, HtmlRunReport.render(report), StandardCharsets.UTF_8);
    context.out().println("report of run " + ledger.run() + ": " + file.toUri());
    return 0;
  }
}

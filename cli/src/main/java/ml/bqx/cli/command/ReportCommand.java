package ml.bqx.cli.command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.report.HtmlRunReport;
import ml.bqx.cli.target.RunTargetOptions;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.report.CostModel;
import ml.bqx.core.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bqx report RUN --html FILE}: the run's timeline and figures as one HTML page. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Writes a self-contained HTML page with a run's timeline and figures.")
public final class ReportCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin RunTargetOptions run;

  @Option(names = "--html", required = true, paramLabel = "FILE", description = "Page to write.")
  Path html;

  ReportCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    RunTargetOptions.Found found = run.resolve(context);
    RunLedger ledger = found.ledger();
    RunReport report =
        RunReport.of(ledger, CostModel.from(found.target().config()), context.clock().instant());
    Path file = context.cwd().resolve(html).toAbsolutePath();
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, HtmlRunReport.render(report), StandardCharsets.UTF_8);
    context.out().println("report of run " + ledger.run() + ": " + file.toUri());
    return 0;
  }
}

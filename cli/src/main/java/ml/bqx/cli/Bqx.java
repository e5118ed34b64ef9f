package ml.bqx.cli;

import ml.bqx.bench.BenchCommand;
import ml.bqx.cli.command.CancelCommand;
import ml.bqx.cli.command.PublishCommand;
import ml.bqx.cli.command.ReportCommand;
import ml.bqx.cli.command.RunCommand;
import ml.bqx.cli.command.StatusCommand;
import ml.bqx.cli.command.ValidateCommand;
import ml.bqx.cli.command.WarehouseCommand;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.doctor.DoctorCommand;
import ml.bqx.cli.local.LocalCommand;
import ml.bqx.cli.local.RetryCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code bqx} command: builds training files locally or on Google Cloud and operates runs. */
@Command(
    name = "bqx",
    mixinStandardHelpOptions = true,
    versionProvider = BqxVersion.class,
    description = "Builds one ML training file per currency pair, locally or on Google Cloud.",
    subcommands = {
      LocalCommand.class,
      PublishCommand.class,
      RunCommand.class,
      StatusCommand.class,
      RetryCommand.class,
      CancelCommand.class,
      ValidateCommand.class,
      ReportCommand.class,
      WarehouseCommand.class,
      BenchCommand.class,
      DoctorCommand.class,
      // New top-level commands are added here and nowhere else.
      CommandLine.HelpCommand.class
    })
public final class Bqx implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command (see --help)");
  }

  public static void main(String[] args) {
    System.exit(execute(CliContext.ofProcess(), args));
  }

  /** Runs one command line with the given context; returns the exit code. */
  public static int execute(CliContext context, String... args) {
    CommandLine line = commandLine(context);
    int code = line.execute(args);
    context.out().flush();
    context.err().flush();
    return code;
  }

  /** The configured command line: bad input exits 2 with a one-line reason, failures exit 1. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine line = new CommandLine(new Bqx(), new CommandFactory(context));
    line.setOut(context.out());
    line.setErr(context.err());
    line.setExecutionExceptionHandler(new FailureHandler());
    line.setParameterExceptionHandler(new UsageErrorHandler());
    return line;
  }
}

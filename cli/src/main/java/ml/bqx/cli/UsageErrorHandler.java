package ml.bqx.cli;

import ml.bqx.core.text.OneLine;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** A bad command line: one line saying why and where to look, exit code 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    line.getErr()
        .println(
            "bqx: "
                + OneLine.of(e.getMessage())
                + " (try '"
                + line.getCommandSpec().qualifiedName()
                + " --help')");
    line.getErr().flush();
    return line.getCommandSpec().exitCodeOnInvalidInput();
  }
}

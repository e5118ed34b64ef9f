package ml.bqx.cli;

import java.io.IOException;
import ml.bqx.core.text.OneLine;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A command that threw: bad input (a bad pair, run id, URI or setting) gets its one-line reason and
 * exit code 2, like a usage error; anything else gets its reason and exit code 1.
 */
final class FailureHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine line, ParseResult parsed) {
    if (e instanceof CommandLine.ParameterException parameter) {
      return new UsageErrorHandler()
          .handleParseException(parameter, parsed.originalArgs().toArray(new String[0]));
    }
    if (e instanceof IllegalArgumentException) {
      line.getErr().println("bqx: " + OneLine.of(e.getMessage()));
      line.getErr().flush();
      return line.getCommandSpec().exitCodeOnInvalidInput();
    }
    String what = e instanceof IOException ? "I/O failure: " : "";
    line.getErr().println("bqx: " + what + OneLine.of(e.getMessage()));
    if (System.getenv("BQX_DEBUG") != null) {
      e.printStackTrace(line.getErr());
    }
    line.getErr().flush();
    return line.getCommandSpec().exitCodeOnExecutionException();
  }
}

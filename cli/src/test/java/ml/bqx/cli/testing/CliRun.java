package ml.bqx.cli.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import ml.bqx.cli.Bqx;
import ml.bqx.cli.context.CliContext;

/** One run of {@link Bqx#execute} with captured output: what a user sees. */
public record CliRun(int exitCode, String out, String err) {
  public static CliRun of(Path cwd, Clock clock, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext context =
        new CliContext(env, clock, cwd, new PrintWriter(out, true), new PrintWriter(err, true));
    int code = Bqx.execute(context, args);
    return new CliRun(code, out.toString(), err.toString());
  }

  public static CliRun of(Path cwd, String... args) {
    return of(cwd, Clock.systemUTC(), Map.of(), args);
  }
}

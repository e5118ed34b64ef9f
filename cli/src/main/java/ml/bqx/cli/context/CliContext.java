package ml.bqx.cli.context;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a command sees of the world: its environment, clock, working directory and output streams.
 * Tests give their own; the entry point gives the process's.
 */
public record CliContext(
    Map<String, String> env, Clock clock, Path cwd, PrintWriter out, PrintWriter err) {
  public CliContext {
    env = Map.copyOf(env);
  }

  /** The real process: its environment, the system clock, the current directory, stdout/err. */
  public static CliContext ofProcess() {
    return new CliContext(
        System.getenv(),
        Clock.systemUTC(),
        Path.of("").toAbsolutePath(),
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true));
  }

  /** True when stdout is a terminal (live progress redraws one line; otherwise plain lines). */
  public boolean interactive() {
    return System.console() != null && !"dumb".equals(env.get("TERM"));
  }
}

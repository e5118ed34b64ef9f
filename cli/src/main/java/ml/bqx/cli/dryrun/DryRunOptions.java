package ml.bqx.cli.dryrun;

import picocli.CommandLine.Option;

/** {@code --dry-run [--json]}, shared by {@code bqx run} and {@code bqx local run}. */
public final class DryRunOptions {
  @Option(
      names = "--dry-run",
      description =
          "Start and write nothing: print per pair the tables, bytes to read, expected time and"
              + " cost, and the run's caps and wall time.")
  boolean dryRun;

  @Option(names = "--json", description = "With --dry-run: print it as JSON.")
  boolean json;

  public boolean requested() {
    return dryRun;
  }

  public boolean json() {
    return json;
  }
}

package ml.bqx.cli.command;

import picocli.CommandLine.Command;

/** {@code bqx warehouse ...}: the embedded DuckDB warehouse. */
@Command(
    name = "warehouse",
    mixinStandardHelpOptions = true,
    description = "The embedded DuckDB warehouse.",
    subcommands = {WarehouseSeedCommand.class})
public final class WarehouseCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a command: seed");
  }
}

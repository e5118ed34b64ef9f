package ml.bqx.cli.local;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bqx local ...}: the whole flow on this machine, on the embedded stand-ins. */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = "Runs the whole event-driven flow on this machine.",
    subcommands = {LocalRunCommand.class})
public final class LocalCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run");
  }
}

package ml.bqx.cli.target;

import java.io.IOException;
import java.time.Clock;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.control.RunControl;
import ml.bqx.functions.FunctionWiring;

/**
 * The run control of a target, wired exactly as the functions wire themselves (same adapters, same
 * settings), so that the CLI and the functions share one code path.
 */
public final class Control {
  private Control() {}

  public static RunControl of(Target target, Clock clock) throws IOException {
    if (target.workdir().isPresent()
        && target.config().get(EnvKey.PUBSUB_EMULATOR_HOST).isBlank()) {
      throw new IllegalArgumentException(target.workdir().get().noRunner());
    }
    if (target.config().get(EnvKey.BQX_STAGING).startsWith("file:")
        && target.config().get(EnvKey.PUBSUB_EMULATOR_HOST).isBlank()
        && target.config().get(EnvKey.BQX_EVENT_BUS).startsWith("pubsub://")) {
      throw new IllegalArgumentException(
          "no local Pub/Sub endpoint is up for this workdir: start 'bqx local run' first, or set"
              + " PUBSUB_EMULATOR_HOST");
    }
    return new RunControl(FunctionWiring.from(target.config(), clock));
  }
}

package ml.bqx.cli.command;

import ml.bqx.cli.target.Target;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.ledger.RunSettings;

/** A run's cap and attempts: the flags, else BQX_MAX_CONCURRENT / BQX_MAX_ATTEMPTS. */
public final class RunSettingsOptions {
  private RunSettingsOptions() {}

  public static RunSettings settings(Target target, Integer maxConcurrent, Integer maxAttempts) {
    int cap =
        maxConcurrent != null
            ? maxConcurrent
            : target.config().positiveInt(EnvKey.BQX_MAX_CONCURRENT);
    int attempts =
        maxAttempts != null ? maxAttempts : target.config().positiveInt(EnvKey.BQX_MAX_ATTEMPTS);
    if (cap < 1) {
      throw new IllegalArgumentException("--max-concurrent must be 1 or more, not " + cap);
    }
    if (attempts < 1) {
      throw new IllegalArgumentException("--max-attempts must be 1 or more, not " + attempts);
    }
    return new RunSettings(cap, attempts, 0);
  }
}

package ml.bqx.cli.local;

import java.util.LinkedHashMap;
import java.util.Map;
import ml.bqx.core.config.EnvKey;
import ml.bqx.local.warehouse.SeedScale;

/**
 * The settings of a local run's functions and, through the launcher, of every job: this process's
 * environment (the project's cap among them), the workdir's stores and launcher, and the run's cap
 * and minimums. The local cloud adds its endpoint and topics.
 */
final class LocalRunEnvironment {
  private LocalRunEnvironment() {}

  static Map<String, String> of(Map<String, String> processEnvironment, LocalRunSpec spec) {
    Map<String, String> env = new LinkedHashMap<>(processEnvironment);
    env.putAll(spec.workdir().targetEnvironment());
    env.put(EnvKey.BQX_MAX_CONCURRENT.name(), Integer.toString(spec.settings().maxConcurrent()));
    // BQX_PROJECT_MAX_CONCURRENT stays the project's (this environment's, or its default): every
    // runner of the workdir shares the project's slots, whatever the cap of its own run.
    env.put(EnvKey.BQX_LOG_FORMAT.name(), "text");
    // Local launches take a second, not a function's 540 s: a resumed run frees a slot left
    // STARTING by a killed runner within half a minute instead of ten.
    env.put(EnvKey.BQX_LAUNCH_GRACE_SECONDS.name(), "30");
    if (spec.scale() != SeedScale.SEED || spec.seedTables() > 0 || spec.seedRows() > 0) {
      // Small warehouses make small files: the minimums follow the scale.
      env.put(EnvKey.BQX_MIN_ROWS.name(), Integer.toString(Math.max(1, spec.rows() / 2)));
      env.put(EnvKey.BQX_MIN_COLUMNS.name(), Integer.toString(spec.tables()));
    }
    return env;
  }
}

package ml.bqx.job;

import java.net.URI;
import java.util.OptionalInt;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.ConfigException;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/** The job's settings, read from its environment through {@link BqxConfig}. */
public record JobSettings(
    Pair pair,
    RunId run,
    int attempt,
    URI warehouse,
    URI staging,
    URI output,
    URI eventBus,
    String eventsTopic,
    OptionalInt extractConcurrency,
    int rowGroupRows,
    int checkpointCacheDays,
    long minRows,
    int minColumns) {

  /** The value of BQX_EXTRACT_CONCURRENCY that leaves the choice to the machine. */
  public static final String AUTO = "auto";

  /** Who this execution is: refused (no event can name it) when the pair or run is malformed. */
  public record Identity(Pair pair, RunId run, int attempt) {}

  public static Identity identity(BqxConfig config) {
    Pair pair = Pair.parse(config.get(EnvKey.TARGET_PAIR));
    RunId run = RunId.of(config.require(EnvKey.RUN_ID));
    return new Identity(pair, run, config.positiveInt(EnvKey.ATTEMPT));
  }

  /** The event bus: BQX_EVENT_BUS, else {@code pubsub://BQX_PROJECT}. */
  public static URI eventBus(BqxConfig config) {
    if (!config.get(EnvKey.BQX_EVENT_BUS).isBlank()) {
      return config.requireUri(EnvKey.BQX_EVENT_BUS);
    }
    if (config.get(EnvKey.BQX_PROJECT).isBlank()) {
      throw new ConfigException(
          "neither BQX_EVENT_BUS nor BQX_PROJECT is set: the job has nowhere to publish its events");
    }
    return URI.create("pubsub://" + config.get(EnvKey.BQX_PROJECT));
  }

  /** BQX_EXTRACT_CONCURRENCY: a number, or {@code auto} (fitted to the machine at run time). */
  static OptionalInt extractConcurrency(BqxConfig config) {
    String value = config.get(EnvKey.BQX_EXTRACT_CONCURRENCY).strip();
    if (value.equalsIgnoreCase(AUTO)) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(config.positiveInt(EnvKey.BQX_EXTRACT_CONCURRENCY));
    } catch (ConfigException e) {
      throw new ConfigException(
          "BQX_EXTRACT_CONCURRENCY='"
              + value
              + "' is neither auto nor a whole number of 1 or more");
    }
  }

  public static JobSettings from(BqxConfig config) {
    Identity identity = identity(config);
    return new JobSettings(
        identity.pair(),
        identity.run(),
        identity.attempt(),
        config.requireUri(EnvKey.BQX_WAREHOUSE),
        config.requireUri(EnvKey.BQX_STAGING),
        config.requireUri(EnvKey.BQX_OUTPUT),
        eventBus(config),
        config.require(EnvKey.BQX_EVENTS_TOPIC),
        extractConcurrency(config),
        config.positiveInt(EnvKey.BQX_ROW_GROUP_ROWS),
        config.positiveInt(EnvKey.BQX_CHECKPOINT_DAYS),
        config.intValue(EnvKey.BQX_MIN_ROWS),
        config.intValue(EnvKey.BQX_MIN_COLUMNS));
  }
}

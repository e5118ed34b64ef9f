package ml.bqx.core.control;

import java.net.URI;
import java.time.Duration;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.report.CostModel;
import ml.bqx.core.verify.OutputExpectation;

/**
 * What the control logic needs to know besides its ports.
 *
 * @param adHocRun settings of a run created on demand (a pair message without a run)
 * @param grace how long a slot may be held by a pair that never became an execution before
 *     reconcile treats it as lost; longer than a function's timeout (540 s)
 */
public record ControlSettings(
    String pairsTopic,
    String eventsTopic,
    int projectMaxConcurrent,
    RunSettings adHocRun,
    Duration grace,
    URI outputRoot,
    long minRows,
    int minColumns,
    CostModel cost) {
  /** The smallest Parquet file: two magic numbers and a footer length. */
  public static final long MIN_BYTES = 12;

  /** Far above the seed's 8-12 GB: a file this large is a bug, not a training file. */
  public static final long MAX_BYTES = 64L << 30;

  public static ControlSettings from(BqxConfig config) {
    return new ControlSettings(
        config.require(EnvKey.BQX_PAIRS_TOPIC),
        config.require(EnvKey.BQX_EVENTS_TOPIC),
        config.positiveInt(EnvKey.BQX_PROJECT_MAX_CONCURRENT),
        new RunSettings(
            config.positiveInt(EnvKey.BQX_MAX_CONCURRENT),
            config.positiveInt(EnvKey.BQX_MAX_ATTEMPTS),
            0),
        Duration.ofSeconds(config.positiveInt(EnvKey.BQX_LAUNCH_GRACE_SECONDS)),
        config.requireUri(EnvKey.BQX_OUTPUT),
        config.intValue(EnvKey.BQX_MIN_ROWS),
        config.intValue(EnvKey.BQX_MIN_COLUMNS),
        CostModel.from(config));
  }

  /**
   * What an attempt's training file must be under these settings.
   *
   * @param crc32c the job's CRC32C, or null when its event was lost
   * @param bytes the job's size, or {@link OutputExpectation#STORE_FACTS}
   */
  OutputExpectation expectation(
      URI uri, RunId run, Pair pair, int attempt, String crc32c, long bytes) {
    return new OutputExpectation(
        uri, run, pair, attempt, crc32c, bytes, MIN_BYTES, MAX_BYTES, minRows, minColumns);
  }
}

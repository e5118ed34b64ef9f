package ml.bqx.trainingfile;

import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/**
 * What a valid training file must satisfy. Null fields are not checked.
 *
 * @param minRows fewest rows (BQX_MIN_ROWS)
 * @param minColumns fewest columns, key and targets included (BQX_MIN_COLUMNS)
 * @param columns exact column count (the tables' columns summed), or null
 * @param crc32c the CRC32C the store must report (base64, big-endian), or null
 * @param minBytes smallest acceptable size, or null
 * @param maxBytes largest acceptable size, or null
 */
public record TrainingFileExpectations(
    long minRows,
    int minColumns,
    Integer columns,
    String crc32c,
    RunId run,
    Pair pair,
    Integer attempt,
    Long minBytes,
    Long maxBytes) {

  /** Only the minimums; add the rest with the {@code with...} methods. */
  public static TrainingFileExpectations minimums(long minRows, int minColumns) {
    return new TrainingFileExpectations(
        minRows, minColumns, null, null, null, null, null, null, null);
  }

  public TrainingFileExpectations withColumns(int exact) {
    return new TrainingFileExpectations(
        minRows, minColumns, exact, crc32c, run, pair, attempt, minBytes, maxBytes);
  }

  public TrainingFileExpectations withCrc32c(String value) {
    return new TrainingFileExpectations(
        minRows, minColumns, columns, value, run, pair, attempt, minBytes, maxBytes);
  }

  /** The run, pair and attempt the footer's metadata must name. */
  public TrainingFileExpectations withOrigin(RunId runId, Pair pairName, int attemptNumber) {
    return new TrainingFileExpectations(
        minRows, minColumns, columns, crc32c, runId, pairName, attemptNumber, minBytes, maxBytes);
  }

  public TrainingFileExpectations withSizeBetween(long min, long max) {
    return new TrainingFileExpectations(
        minRows, minColumns, columns, crc32c, run, pair, attempt, min, max);
  }
}

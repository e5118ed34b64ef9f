package ml.bqx.core.control;

import java.net.URI;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/**
 * What a pair's published training file must be for its attempt to count as succeeded.
 *
 * @param crc32c the CRC32C the job reported (base64, big-endian, as GCS reports it), or null with
 *     {@code bytes} {@link #STORE_FACTS} when the job's event was lost: the store's are taken
 * @param bytes the size the job reported, or {@link #STORE_FACTS}
 * @param horizons how many target horizons the file must carry
 */
public record OutputExpectation(
    URI uri,
    RunId run,
    Pair pair,
    int attempt,
    String crc32c,
    long bytes,
    long minBytes,
    long maxBytes,
    long minRows,
    int minColumns,
    int horizons) {
  /** The size to pass when no job reported one: the store's size and CRC32C are taken as given. */
  public static final long STORE_FACTS = -1;

  /**
   * The expectation of a file whose job's terminal event was lost: only the file itself (its
   * footer's run/pair/attempt, shape and the store's size and CRC32C) can speak for it.
   */
  public static OutputExpectation withoutJobFacts(
      URI uri, RunId run, Pair pair, int attempt, ControlSettings settings) {
    return new OutputExpectation(
        uri,
        run,
        pair,
        attempt,
        null,
        STORE_FACTS,
        ControlSettings.MIN_BYTES,
        ControlSettings.MAX_BYTES,
        settings.minRows(),
        settings.minColumns(),
        ControlSettings.HORIZONS);
  }

  /** True when a job reported the size and CRC32C the store must match. */
  public boolean hasJobFacts() {
    return !(bytes == STORE_FACTS && crc32c == null);
  }
}

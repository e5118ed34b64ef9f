package ml.bqx.core.verify;

import java.net.URI;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/**
 * What a pair's published training file must be for its attempt to count as succeeded.
 *
 * @param crc32c the CRC32C the job reported (base64, big-endian, as GCS reports it), or null with
 *     {@code bytes} {@link #STORE_FACTS} when the job's event was lost: the store's are taken
 * @param bytes the size the job reported, or {@link #STORE_FACTS}
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
    int minColumns) {
  /** The size to pass when no job reported one: the store's size and CRC32C are taken as given. */
  public static final long STORE_FACTS = -1;

  /** True when a job reported the size and CRC32C the store must match. */
  boolean hasJobFacts() {
    return !(bytes == STORE_FACTS && crc32c == null);
  }
}

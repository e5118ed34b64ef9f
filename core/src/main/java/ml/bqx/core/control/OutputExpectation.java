package ml.bqx.core.control;

import java.net.URI;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/**
 * What a pair's published training file must be for its attempt to count as succeeded.
 *
 * @param crc32c the CRC32C the job reported (base64, big-endian, as GCS reports it)
 * @param bytes the size the job reported
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
    int horizons) {}

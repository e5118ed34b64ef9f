package ml.bqx.core.message;

/**
 * What the job says it published: the object, its size, its CRC32C (base64 of the big-endian value,
 * as GCS reports it) and its shape.
 */
public record OutputFacts(String uri, long bytes, String crc32c, long rows, int columns) {}

package ml.bqx.core.port;

import java.net.URI;

/**
 * What the store knows of one object.
 *
 * @param generation changes on every write of the object; the compare-and-swap token
 * @param crc32c base64 of the big-endian CRC32C of the content, as GCS reports it
 */
public record ObjectInfo(URI uri, long size, long generation, String crc32c) {}

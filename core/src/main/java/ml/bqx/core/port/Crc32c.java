package ml.bqx.core.port;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32C;

/** CRC32C in the form GCS reports it: base64 of the four big-endian bytes. */
public final class Crc32c {
  private Crc32c() {}

  public static String toBase64(long crc32c) {
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc32c).array());
  }

  public static String of(byte[] content) {
    CRC32C crc = new CRC32C();
    crc.update(content);
    return toBase64(crc.getValue());
  }
}

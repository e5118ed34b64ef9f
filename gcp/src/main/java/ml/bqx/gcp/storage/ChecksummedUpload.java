package ml.bqx.gcp.storage;

import com.google.cloud.storage.BlobInfo;
import java.io.IOException;
import java.net.URI;
import java.util.zip.CRC32C;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectUpload;

/** An upload that checksums every byte before it sends it, to check what GCS stored against. */
abstract class ChecksummedUpload extends ObjectUpload {
  final URI uri;
  private final CRC32C crc = new CRC32C();
  long written;
  boolean done;

  ChecksummedUpload(URI uri) {
    this.uri = uri;
  }

  /** Sends bytes already counted in the checksum. */
  abstract void send(byte[] bytes, int offset, int length) throws IOException;

  @Override
  public final void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public final void write(byte[] bytes, int offset, int length) throws IOException {
    checkOpen();
    crc.update(bytes, offset, length);
    send(bytes, offset, length);
    written += length;
  }

  @Override
  public final String crc32cSoFar() {
    return Crc32c.toBase64(crc.getValue());
  }

  /** The generation GCS made, 0 if it named none. */
  static long generationOf(BlobInfo blob) {
    return blob.getGeneration() == null ? 0L : blob.getGeneration();
  }

  /**
   * The object GCS reports, once the CRC32C it {@code did} ("stored", "composed") is the one of the
   * bytes sent; else an IOException naming both.
   */
  final ObjectInfo verified(BlobInfo blob, String stored, String did) throws IOException {
    long generation = generationOf(blob);
    String sent = crc32cSoFar();
    if (!sent.equals(stored)) {
      throw new IOException(
          "CRC32C mismatch on "
              + uri
              + ": sent "
              + sent
              + " but GCS "
              + did
              + " "
              + stored
              + " (generation "
              + generation
              + ")");
    }
    long size = blob.getSize() == null ? written : blob.getSize();
    return new ObjectInfo(uri, size, generation, stored);
  }

  final void checkOpen() throws IOException {
    if (done) {
      throw new IOException("upload of " + uri + " is already finished or abandoned");
    }
  }
}

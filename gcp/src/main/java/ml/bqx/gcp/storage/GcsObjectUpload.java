package ml.bqx.gcp.storage;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BlobWriteSession;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.ExecutionException;
import ml.bqx.core.port.ObjectInfo;

/**
 * A resumable upload to GCS that checksums what it streams. The object appears only when the
 * session finalizes in {@link #finish}; closing without finishing leaves the session unfinalized,
 * so nobody ever sees a partial object.
 */
final class GcsObjectUpload extends ChecksummedUpload {
  /** Reads back an object's CRC32C when GCS reported none (the test double computes none). */
  interface Crc32cReader {
    String crc32c(URI uri, long generation) throws IOException;
  }

  private final BlobWriteSession session;
  private final WritableByteChannel channel;
  private final Crc32cReader readBack;

  GcsObjectUpload(URI uri, BlobWriteSession session, Crc32cReader readBack) throws IOException {
    super(uri);
    this.session = session;
    this.readBack = readBack;
    try {
      this.channel = session.open();
    } catch (RuntimeException e) {
      throw GcsErrors.translate(e, uri);
    }
  }

  @Override
  void send(byte[] bytes, int offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (RuntimeException e) {
      throw GcsErrors.translate(e, uri);
    }
  }

  @Override
  public ObjectInfo finish() throws IOException {
    checkOpen();
    done = true;
    BlobInfo blob;
    try {
      channel.close();
      blob = session.getResult().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted finishing the upload of " + uri, e);
    } catch (ExecutionException e) {
      throw GcsErrors.translate(e.getCause(), uri);
    } catch (IOException | RuntimeException e) {
      throw GcsErrors.translate(e, uri);
    }
    String stored =
        blob.getCrc32c() != null ? blob.getCrc32c() : readBack.crc32c(uri, generationOf(blob));
    return verified(blob, stored, "stored");
  }

  /** Abandons an unfinished upload: the object never appears. */
  @Override
  public void close() {
    done = true;
  }
}

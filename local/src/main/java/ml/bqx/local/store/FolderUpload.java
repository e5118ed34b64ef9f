package ml.bqx.local.store;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.WritePrecondition;

/** A streamed write into a hidden staging file, renamed into place by {@link #finish}. */
final class FolderUpload extends ObjectUpload {
  private final URI uri;
  private final ObjectPaths paths;
  private final Path staged;
  private final FolderObjectStore store;
  private final OutputStream out;
  private final CRC32C crc = new CRC32C();
  private boolean done;

  FolderUpload(URI uri, ObjectPaths paths, Path staged, FolderObjectStore store)
      throws IOException {
    this.uri = uri;
    this.paths = paths;
    this.staged = staged;
    this.store = store;
    this.out =
        new java.io.BufferedOutputStream(
            Files.newOutputStream(staged, StandardOpenOption.CREATE_NEW), 1 << 16);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    crc.update(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    crc.update(b, off, len);
  }

  @Override
  public String crc32cSoFar() {
    return Crc32c.toBase64(crc.getValue());
  }

  @Override
  public ObjectInfo finish() throws IOException {
    if (done) {
      throw new IOException("upload of " + uri + " already finished or closed");
    }
    done = true;
    out.close();
    try {
      // The CRC32C was computed on the way in: no second pass over a file of gigabytes.
      return store.commit(uri, paths, staged, WritePrecondition.none(), crc32cSoFar());
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  @Override
  public void close() throws IOException {
    if (!done) {
      done = true;
      out.close();
      Files.deleteIfExists(staged);
    }
  }
}

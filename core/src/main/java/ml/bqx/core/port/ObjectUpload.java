package ml.bqx.core.port;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A large object being written as a stream (a resumable upload on GCS). Nobody sees it until {@link
 * #finish} returns; {@link #close} without {@code finish} abandons it.
 */
public abstract class ObjectUpload extends OutputStream {
  /** Makes the object visible at once, whole, and returns what the store recorded. */
  public abstract ObjectInfo finish() throws IOException;

  /** The CRC32C of the bytes written so far, in the store's base64 form. */
  public abstract String crc32cSoFar();
}

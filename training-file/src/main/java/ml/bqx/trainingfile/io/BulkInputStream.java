package ml.bqx.trainingfile.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A seekable stream whose every read goes through one bulk {@link #read(byte[], int, int)}: the
 * single-byte, fully and buffer reads Parquet also calls are built on it here, once.
 */
public abstract class BulkInputStream extends SeekableInputStream {
  private static final int BUFFER_READ = 1 << 20;

  /** What the stream reads, for messages. */
  protected abstract String name();

  @Override
  public abstract int read(byte[] bytes, int offset, int count) throws IOException;

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public void readFully(byte[] bytes) throws IOException {
    readFully(bytes, 0, bytes.length);
  }

  @Override
  public void readFully(byte[] bytes, int offset, int count) throws IOException {
    int done = 0;
    while (done < count) {
      int n = read(bytes, offset + done, count - done);
      if (n < 0) {
        throw new EOFException("unexpected end of " + name() + " at " + getPos());
      }
      done += n;
    }
  }

  @Override
  public int read(ByteBuffer buffer) throws IOException {
    if (buffer.hasArray()) {
      int n = read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      if (n > 0) {
        buffer.position(buffer.position() + n);
      }
      return n;
    }
    byte[] bytes = new byte[Math.min(buffer.remaining(), BUFFER_READ)];
    int n = read(bytes, 0, bytes.length);
    if (n > 0) {
      buffer.put(bytes, 0, n);
    }
    return n;
  }

  @Override
  public void readFully(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (read(buffer) < 0) {
        throw new EOFException("unexpected end of " + name() + " at " + getPos());
      }
    }
  }
}

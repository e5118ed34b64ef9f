package ml.bqx.trainingfile.io;

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import ml.bqx.core.port.ObjectStore;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet input file read from an object store with ranged reads of its known length (no metadata
 * request per read), through a window buffer: a footer and the page indexes before it cost one read
 * (a window near the end reaches back to fill itself), and a column chunk is copied in large bulk
 * reads, never byte by byte, never downloading the whole object.
 */
public final class StoreInputFile implements InputFile {
  private static final int WINDOW = 1 << 20;
  private final ObjectStore store;
  private final URI uri;
  private final long length;
  private final int windowBytes;

  public StoreInputFile(ObjectStore store, URI uri, long length) {
    this(store, uri, length, WINDOW);
  }

  /**
   * @param windowBytes the read window: a footer reader that knows its footers are small takes less
   *     than the 1 MiB default, so many footers read at once make little garbage
   */
  public StoreInputFile(ObjectStore store, URI uri, long length, int windowBytes) {
    this.store = store;
    this.uri = uri;
    this.length = length;
    this.windowBytes = windowBytes;
  }

  /** Opens an object, reading its length from the store. */
  public static StoreInputFile open(ObjectStore store, URI uri) throws IOException {
    long size = store.stat(uri).orElseThrow(() -> new IOException("no object at " + uri)).size();
    return new StoreInputFile(store, uri, size);
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() {
    return new RangeStream();
  }

  @Override
  public String toString() {
    return uri.toString();
  }

  /**
   * A stream over the object that refills one reused window with a ranged read when it runs out.
   */
  private final class RangeStream extends BulkInputStream {
    private long position;
    private byte[] window;
    private int windowLength;
    private long windowStart;

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void seek(long newPos) throws IOException {
      if (newPos < 0 || newPos > length) {
        throw new EOFException("seek to " + newPos + " outside " + uri + " (" + length + " bytes)");
      }
      position = newPos;
    }

    @Override
    public int read(byte[] bytes, int offset, int count) throws IOException {
      if (count == 0) {
        return 0;
      }
      if (position >= length) {
        return -1;
      }
      if (count >= windowBytes) { // big reads go straight into the caller's array
        int wanted = (int) Math.min(count, length - position);
        int n = store.readKnownRange(uri, length, position, bytes, offset, wanted);
        if (n <= 0) {
          return -1;
        }
        position += n;
        return n;
      }
      if (position < windowStart || position >= windowStart + windowLength) {
        if (window == null) {
          window = new byte[(int) Math.min(windowBytes, length)];
        }
        // Near the end the window ends at the end: a footer read (its last 8 bytes first, then the
        // footer and the page indexes before it) is then one request.
        windowStart = Math.min(position, length - window.length);
        windowLength =
            store.readKnownRange(
                uri,
                length,
                windowStart,
                window,
                0,
                (int) Math.min(window.length, length - windowStart));
        if (windowLength <= 0) {
          windowLength = 0;
          return -1;
        }
      }
      int at = (int) (position - windowStart);
      int n = Math.min(count, windowLength - at);
      System.arraycopy(window, at, bytes, offset, n);
      position += n;
      return n;
    }

    @Override
    protected String name() {
      return uri.toString();
    }
  }
}

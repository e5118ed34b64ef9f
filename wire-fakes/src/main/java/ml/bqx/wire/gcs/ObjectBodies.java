package ml.bqx.wire.gcs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import ml.bqx.core.port.Crc32c;

/**
 * The bytes of the fake's objects: in memory (tests), or as files of a folder, so that a bench can
 * hold objects of gigabytes (a seed-scale pair's checkpoints and training file) off the heap.
 * Bodies never change once finished; a copy of a file body is a hard link, so deleting either
 * object leaves the other whole.
 */
final class ObjectBodies {
  /** Bytes moved at once when a body streams in or out: no buffer the size of a request. */
  private static final int PIECE = 256 * 1024;

  /** One object's bytes, with the CRC32C computed once when they were finished. */
  interface Body {
    long size();

    byte[] read(long from, int length) throws IOException;

    /** Writes a slice to {@code out} a piece at a time (a media download's body). */
    default void writeTo(OutputStream out, long from, long length) throws IOException {
      for (long at = from; at < from + length; at += PIECE) {
        out.write(read(at, (int) Math.min(PIECE, from + length - at)));
      }
    }

    String crc32c();

    /** The count of uploaded (non-composite) objects in it: 1 unless composed. */
    default int components() {
      return 1;
    }
  }

  /** The bytes of an upload as its chunks arrive. */
  interface Receiving {
    void append(byte[] chunk) throws IOException;

    /**
     * Appends a request's whole body as it arrives, a piece at a time: a chunk of an upload is
     * never held whole.
     *
     * @return the bytes appended
     */
    default long append(InputStream body) throws IOException {
      byte[] piece = new byte[PIECE];
      long total = 0;
      for (int n = body.readNBytes(piece, 0, PIECE); n > 0; n = body.readNBytes(piece, 0, PIECE)) {
        append(n == PIECE ? piece : Arrays.copyOf(piece, n));
        total += n;
      }
      return total;
    }

    long size();

    Body finish() throws IOException;
  }

  private final Path folder;
  private final AtomicLong names = new AtomicLong();

  private ObjectBodies(Path folder) {
    this.folder = folder;
  }

  static ObjectBodies inMemory() {
    return new ObjectBodies(null);
  }

  static ObjectBodies inFolder(Path folder) throws IOException {
    return new ObjectBodies(Files.createDirectories(folder));
  }

  Body of(byte[] content) throws IOException {
    Receiving receiving = receive();
    receiving.append(content);
    return receiving.finish();
  }

  Receiving receive() throws IOException {
    return folder == null ? new MemoryReceiving() : new FileReceiving(next());
  }

  /** The same bytes for another object. */
  Body copy(Body body) throws IOException {
    if (body instanceof Composite composite) {
      return concat(composite.parts());
    }
    if (body instanceof InFile file) {
      Path link = next();
      Files.createLink(link, file.path());
      return new InFile(link, file.size(), file.crc32c());
    }
    return body;
  }

  /**
   * The concatenation of these bodies, as a compose makes it: each source's bytes are shared (a
   * hard link, as {@link #copy}), so replacing or deleting a source leaves the composite whole, and
   * its CRC32C is combined from the sources' without reading them again.
   */
  Body concat(List<Body> sources) throws IOException {
    List<Body> parts = new ArrayList<>();
    long size = 0;
    long crc = 0;
    for (Body source : sources) {
      for (Body part :
          source instanceof Composite composite ? composite.parts() : List.of(source)) {
        parts.add(copy(part));
      }
      crc = Crc32cCombine.combine(crc, Crc32cCombine.parse(source.crc32c()), source.size());
      size += source.size();
    }
    return new Composite(List.copyOf(parts), size, Crc32c.toBase64(crc));
  }

  /** The body's object is gone or replaced. */
  void release(Body body) {
    if (body instanceof Composite composite) {
      composite.parts().forEach(this::release);
    }
    if (body instanceof InFile file) {
      try {
        Files.deleteIfExists(file.path());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private Path next() {
    return folder.resolve(names.incrementAndGet() + ".object");
  }

  private record InMemory(byte[] bytes, String crc32c) implements Body {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public byte[] read(long from, int length) {
      return Arrays.copyOfRange(bytes, (int) from, (int) from + length);
    }
  }

  private record Composite(List<Body> parts, long size, String crc32c) implements Body {
    @Override
    public byte[] read(long from, int length) throws IOException {
      byte[] bytes = new byte[length];
      int filled = 0;
      long start = 0;
      for (Body part : parts) {
        long end = start + part.size();
        if (filled < length && from + filled < end) {
          long at = from + filled - start;
          int take = (int) Math.min(length - filled, part.size() - at);
          System.arraycopy(part.read(at, take), 0, bytes, filled, take);
          filled += take;
        }
        start = end;
      }
      return bytes;
    }

    @Override
    public void writeTo(OutputStream out, long from, long length) throws IOException {
      long start = 0;
      for (Body part : parts) {
        long end = start + part.size();
        long first = Math.max(from, start);
        long last = Math.min(from + length, end);
        if (first < last) {
          part.writeTo(out, first - start, last - first);
        }
        start = end;
      }
    }

    @Override
    public int components() {
      return parts.size();
    }
  }

  private record InFile(Path path, long size, String crc32c) implements Body {
    @Override
    public byte[] read(long from, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.allocate(length);
      try (FileChannel in = FileChannel.open(path)) {
        while (buffer.hasRemaining() && in.read(buffer, from + buffer.position()) >= 0) {
          // reads until the slice is full
        }
      }
      return buffer.array();
    }

    @Override
    public void writeTo(OutputStream out, long from, long length) throws IOException {
      ByteBuffer piece = ByteBuffer.allocate((int) Math.min(PIECE, Math.max(length, 1)));
      try (FileChannel in = FileChannel.open(path)) {
        for (long at = from; at < from + length; ) {
          piece.clear().limit((int) Math.min(piece.capacity(), from + length - at));
          int n = in.read(piece, at);
          if (n < 0) {
            throw new IOException(path + " ends at " + at + ", before " + (from + length));
          }
          out.write(piece.array(), 0, n);
          at += n;
        }
      }
    }
  }

  private final class MemoryReceiving implements Receiving {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void append(byte[] chunk) {
      bytes.writeBytes(chunk);
    }

    @Override
    public long size() {
      return bytes.size();
    }

    @Override
    public Body finish() {
      byte[] content = bytes.toByteArray();
      CRC32C crc = new CRC32C();
      crc.update(content);
      return new InMemory(content, Crc32c.toBase64(crc.getValue()));
    }
  }

  private static final class FileReceiving implements Receiving {
    private final Path path;
    private final FileChannel out;
    private final CRC32C crc = new CRC32C();
    private long size;

    FileReceiving(Path path) throws IOException {
      this.path = path;
      this.out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public void append(byte[] chunk) throws IOException {
      crc.update(chunk);
      ByteBuffer buffer = ByteBuffer.wrap(chunk);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      size += chunk.length;
    }

    @Override
    public long append(InputStream body) throws IOException {
      ByteBuffer piece = ByteBuffer.allocate(PIECE);
      long total = 0;
      for (int n = body.readNBytes(piece.array(), 0, PIECE);
          n > 0;
          n = body.readNBytes(piece.array(), 0, PIECE)) {
        crc.update(piece.array(), 0, n);
        piece.clear().limit(n);
        while (piece.hasRemaining()) {
          out.write(piece);
        }
        total += n;
      }
      size += total;
      return total;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public Body finish() throws IOException {
      out.close();
      return new InFile(path, size, Crc32c.toBase64(crc.getValue()));
    }
  }
}

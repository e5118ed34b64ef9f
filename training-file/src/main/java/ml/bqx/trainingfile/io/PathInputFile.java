package ml.bqx.trainingfile.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet input file on a plain local path (a copied training file, with no store beside it),
 * read through a file channel in bulk: parquet-java's own LocalInputFile reads one byte per system
 * call on the paths the footer and key reads take.
 */
public final class PathInputFile implements InputFile {
  private final Path path;
  private final long length;

  public PathInputFile(Path path, long length) {
    this.path = path;
    this.length = length;
  }

  @Override
  public long getLength() {
    return length;
  }

  @Override
  public SeekableInputStream newStream() throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    return new DelegatingSeekableInputStream(java.nio.channels.Channels.newInputStream(channel)) {
      @Override
      public long getPos() throws IOException {
        return channel.position();
      }

      @Override
      public void seek(long newPos) throws IOException {
        if (newPos < 0 || newPos > length) {
          throw new EOFException("seek to " + newPos + " outside " + path);
        }
        channel.position(newPos);
      }

      @Override
      public int read(ByteBuffer buffer) throws IOException {
        return channel.read(buffer);
      }

      @Override
      public void readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
          if (channel.read(buffer) < 0) {
            throw new EOFException("unexpected end of " + path);
          }
        }
      }
    };
  }

  @Override
  public String toString() {
    return path.toString();
  }
}

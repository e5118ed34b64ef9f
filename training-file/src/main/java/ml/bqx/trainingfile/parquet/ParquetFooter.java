package ml.bqx.trainingfile.parquet;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads a Parquet file's footer with two ranged reads and parquet-java's own metadata converter,
 * without {@code ParquetFileReader}: its read options load Hadoop's MapReduce and codec classes
 * even for a plain {@link InputFile} (apache/parquet-java#3780 and #2556).
 */
public final class ParquetFooter {
  private static final int TAIL = 8; // footer length (4 bytes, little-endian), then "PAR1"

  private ParquetFooter() {}

  /** The footer of a file already checked to be framed as Parquet. */
  public static ParquetMetadata read(InputFile input) throws IOException {
    long size = input.getLength();
    try (SeekableInputStream stream = input.newStream()) {
      byte[] tail = new byte[TAIL];
      stream.seek(size - TAIL);
      stream.readFully(tail);
      long length =
          ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
      if (length > size - TAIL) {
        throw new EOFException("footer of " + length + " bytes in a " + size + "-byte file");
      }
      byte[] footer = new byte[(int) length];
      stream.seek(size - TAIL - length);
      stream.readFully(footer);
      return new ParquetMetadataConverter()
          .readParquetMetadata(
              new ByteArrayInputStream(footer), ParquetMetadataConverter.NO_FILTER);
    }
  }
}

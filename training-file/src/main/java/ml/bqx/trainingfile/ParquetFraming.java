package ml.bqx.trainingfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * The frame every Parquet file has: "PAR1" first, then "footer length, PAR1" last. Checked before
 * the footer is parsed, so that an empty, truncated or foreign file gets one line naming what it is
 * rather than a parser's exception.
 */
final class ParquetFraming {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
  private static final int SMALLEST = 2 * MAGIC.length + 4;

  private ParquetFraming() {}

  /** What is wrong with the file's frame, or null when it is framed as Parquet. */
  static String problem(InputFile input) throws IOException {
    long size = input.getLength();
    if (size == 0) {
      return "it is empty (0 bytes)";
    }
    try (SeekableInputStream stream = input.newStream()) {
      byte[] head = new byte[(int) Math.min(MAGIC.length, size)];
      stream.readFully(head);
      if (!Arrays.equals(head, MAGIC)) {
        return "it is not a Parquet file (it does not start with PAR1)";
      }
      if (size < SMALLEST) {
        return "it is truncated: " + size + " bytes, too short for a Parquet footer";
      }
      byte[] tail = new byte[8];
      stream.seek(size - tail.length);
      stream.readFully(tail);
      if (!Arrays.equals(Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
        return "it is truncated: it starts as Parquet but does not end with PAR1 ("
            + size
            + " bytes)";
      }
      long footer =
          ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
      if (footer > size - SMALLEST) {
        return "it is truncated: its footer claims "
            + footer
            + " bytes of a "
            + size
            + "-byte file";
      }
      return null;
    }
  }

  /** The first line of why a footer would not parse, never "null". */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        String message = t.getMessage().strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
      }
    }
    return e.getClass().getSimpleName();
  }
}

package ml.bqx.job.extract;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.BitSet;
import org.apache.parquet.bytes.ByteBufferReleaser;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Encodes column chunks as data pages v1, a page at a time, and hands them to parquet-java's page
 * writer, which compresses them and keeps the column index, offset index and footer. The page bytes
 * are those parquet-java's own column writers produced for the checkpoint (PLAIN values, RLE
 * definition levels behind their 4-byte length, no repetition levels, parquet-java's {@link
 * Statistics}), without their per-value calls, buffers and size checks: one pass writes the levels,
 * one the values straight into the page. One instance serves a whole checkpoint, its buffers
 * reused.
 */
final class ColumnPages implements AutoCloseable {
  /**
   * Rows per page: parquet-java's default page row-count limit, which cut the checkpoint's pages
   * before this class existed (a page of doubles is then at most 160 KB, well under the 1 MiB page
   * size readers and the footer were sized for).
   */
  static final int PAGE_ROWS = 20_000;

  private static final HeapByteBufferAllocator HEAP = new HeapByteBufferAllocator();
  private static final VarHandle LITTLE_ENDIAN_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LITTLE_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final RunLengthBitPackingHybridEncoder levels =
      new RunLengthBitPackingHybridEncoder(1, 64, 8 * PAGE_ROWS, HEAP);
  private byte[] page = new byte[0];

  /** Writes rows {@code [start, end)} of an optional double column; a set bit is a null. */
  void writeDoubles(
      PageWriter out, ColumnDescriptor column, double[] values, BitSet nulls, int start, int end)
      throws IOException {
    for (int from = start; from < end; from += PAGE_ROWS) {
      int to = Math.min(end, from + PAGE_ROWS);
      levels.reset();
      for (int row = from; row < to; row++) {
        levels.writeInt(nulls.get(row) ? 0 : 1);
      }
      BytesInput encodedLevels = levels.toBytes();
      int levelBytes = Math.toIntExact(encodedLevels.size());
      byte[] bytes = page(4 + levelBytes + 8 * (to - from));
      LITTLE_ENDIAN_INT.set(bytes, 0, levelBytes);
      try (ByteBufferReleaser releaser = new ByteBufferReleaser(HEAP)) {
        encodedLevels.toByteBuffer(releaser).get(bytes, 4, levelBytes);
      }
      int length = 4 + levelBytes;
      Statistics<?> statistics = Statistics.createStats(column.getPrimitiveType());
      for (int row = from; row < to; row++) {
        if (nulls.get(row)) {
          statistics.incrementNumNulls();
        } else {
          double value = values[row];
          statistics.updateStats(value);
          // doubleToLongBits, as parquet-java's PLAIN writer: one NaN, whatever its payload
          LITTLE_ENDIAN_LONG.set(bytes, length, Double.doubleToLongBits(value));
          length += 8;
        }
      }
      writePage(out, column, BytesInput.from(bytes, 0, length), to - from, statistics);
    }
  }

  /** Writes rows {@code [start, end)} of the required key column. */
  void writeKeys(PageWriter out, ColumnDescriptor column, Spine keys, int start, int end)
      throws IOException {
    for (int from = start; from < end; from += PAGE_ROWS) {
      int to = Math.min(end, from + PAGE_ROWS);
      Statistics<?> statistics = Statistics.createStats(column.getPrimitiveType());
      byte[] bytes = page(8 * (to - from));
      for (int row = from; row < to; row++) {
        long key = keys.key(row);
        statistics.updateStats(key);
        LITTLE_ENDIAN_LONG.set(bytes, 8 * (row - from), key);
      }
      writePage(out, column, BytesInput.from(bytes, 0, 8 * (to - from)), to - from, statistics);
    }
  }

  /** One page's buffer: the page writer compresses and copies a page before it returns. */
  private byte[] page(int bytes) {
    if (page.length < bytes) {
      page = new byte[bytes];
    }
    return page;
  }

  /**
   * One data page v1, with the encodings and the (absent) size and geospatial statistics
   * parquet-java's ColumnWriterV1 gives when size statistics are off: the levels of a column whose
   * maximum level is 0 are written as nothing and named BIT_PACKED. Size statistics (format 2.10,
   * 2023) add footer bytes per column per row group that no reader of ours needs and readers older
   * than 2023 do not know.
   */
  @SuppressWarnings("deprecation") // BIT_PACKED: what parquet-java names absent levels
  private static void writePage(
      PageWriter out, ColumnDescriptor column, BytesInput bytes, int rows, Statistics<?> statistics)
      throws IOException {
    PrimitiveType type = column.getPrimitiveType();
    int maxDefinition = column.getMaxDefinitionLevel();
    out.writePage(
        bytes,
        rows,
        rows,
        statistics,
        SizeStatistics.noopBuilder(type, 0, maxDefinition).build(),
        GeospatialStatistics.newBuilder(type).build(),
        Encoding.BIT_PACKED,
        maxDefinition == 0 ? Encoding.BIT_PACKED : Encoding.RLE,
        Encoding.PLAIN);
  }

  @Override
  public void close() {
    levels.close();
  }
}

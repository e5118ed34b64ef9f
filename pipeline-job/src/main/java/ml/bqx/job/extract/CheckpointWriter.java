package ml.bqx.job.extract;

import java.io.IOException;
import java.util.Map;
import ml.bqx.core.port.WarehouseLayout;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.ColumnOrder;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes an aligned table as a checkpoint Parquet file: exactly {@code rowGroupRows} rows per row
 * group (the last takes the rest), so every checkpoint of a pair has the same row-group boundaries;
 * doubles without dictionary, zstd at a low level, final column names, and only format features
 * every mainstream reader since 2023 knows (data page v1, PLAIN, no size statistics). Written
 * column by column, pages encoded in bulk by {@link ColumnPages}; parquet-java's page writer and
 * file writer keep the column and offset indexes and the footer.
 */
public final class CheckpointWriter {
  private static final int ZSTD_LEVEL = 1;

  private CheckpointWriter() {}

  /**
   * Writes the table; with a spine, the key column comes first (the targets' checkpoint).
   *
   * @return row groups written
   */
  // The constructor taking ParquetProperties also applies them to the footer; this writer's footer
  // is what every reader of issue 12 was checked against, so it changes only with that check.
  @SuppressWarnings("deprecation")
  public static int write(OutputFile out, AlignedTable table, Spine keysOrNull, int rowGroupRows)
      throws IOException {
    MessageType schema = schema(table, keysOrNull != null);
    try (ZstdPageCompressor compressor = new ZstdPageCompressor(ZSTD_LEVEL);
        ColumnPages encoder = new ColumnPages()) {
      ParquetFileWriter writer =
          new ParquetFileWriter(out, schema, ParquetFileWriter.Mode.CREATE, 128L << 20, 0);
      writer.start();
      int rows = table.rows();
      int groups = 0;
      for (int start = 0; start < rows; start += rowGroupRows) {
        int end = Math.min(rows, start + rowGroupRows);
        writeGroup(writer, schema, compressor, encoder, table, keysOrNull, start, end);
        groups++;
      }
      writer.end(Map.of());
      return groups;
    }
  }

  /**
   * The checkpoint's schema: optional doubles, after the key when there is one. Every column says
   * TYPE_DEFINED_ORDER: parquet-java 1.18 would write IEEE_754_TOTAL_ORDER for doubles
   * (PARQUET-2249), which Polars before mid-2026 refuses ("ColumnOrder union has no variant set").
   */
  private static MessageType schema(AlignedTable table, boolean withKey) {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    if (withKey) {
      builder
          .required(PrimitiveTypeName.INT64)
          .columnOrder(ColumnOrder.typeDefined())
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
          .named(WarehouseLayout.KEY);
    }
    for (String column : table.columns()) {
      builder
          .optional(PrimitiveTypeName.DOUBLE)
          .columnOrder(ColumnOrder.typeDefined())
          .named(column);
    }
    return builder.named("checkpoint");
  }

  private static void writeGroup(
      ParquetFileWriter writer,
      MessageType schema,
      BytesInputCompressor compressor,
      ColumnPages encoder,
      AlignedTable table,
      Spine keys,
      int start,
      int end)
      throws IOException {
    ColumnChunkPageWriteStore pages =
        new ColumnChunkPageWriteStore(
            compressor,
            schema,
            new HeapByteBufferAllocator(),
            ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
            ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED);
    int offset = keys == null ? 0 : 1;
    if (keys != null) {
      ColumnDescriptor key = schema.getColumns().get(0);
      encoder.writeKeys(pages.getPageWriter(key), key, keys, start, end);
    }
    for (int c = 0; c < table.columns().size(); c++) {
      ColumnDescriptor column = schema.getColumns().get(c + offset);
      encoder.writeDoubles(
          pages.getPageWriter(column), column, table.values()[c], table.nulls()[c], start, end);
    }
    writer.startBlock(end - start);
    pages.flushToFileWriter(writer);
    writer.endBlock();
    pages.close();
  }
}

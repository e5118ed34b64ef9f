package ml.bqx.job.extract;

import java.io.IOException;
import java.util.Map;
import ml.bqx.core.port.WarehouseLayout;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
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
 * column by column through parquet-java's column writers, not record by record.
 */
public final class CheckpointWriter {
  private static final int ZSTD_LEVEL = 1;
  private static final int PAGE_SIZE = 1 << 20;

  private CheckpointWriter() {}

  /**
   * Writes the table; with a spine, the key column comes first (the targets' checkpoint).
   *
   * @return row groups written
   */
  // The constructor taking ParquetProperties also applies them to the footer; this writer's footer
  // is
  // what every reader of issue 12 was checked against, so it changes only with that check.
  @SuppressWarnings("deprecation")
  public static int write(OutputFile out, AlignedTable table, Spine keysOrNull, int rowGroupRows)
      throws IOException {
    MessageType schema = schema(table, keysOrNull != null);
    ParquetProperties properties =
        ParquetProperties.builder()
            .withDictionaryEncoding(false)
            .withPageSize(PAGE_SIZE)
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
            // Size statistics (format 2.10, 2023) add footer bytes per column per row group that
            // no reader of ours needs and readers older than 2023 do not know.
            .withSizeStatisticsEnabled(false)
            .build();
    CodecFactory codecs = new CodecFactory(new PlainParquetConfiguration(), PAGE_SIZE);
    try {
      BytesInputCompressor compressor = codecs.getCompressor(CompressionCodecName.ZSTD, ZSTD_LEVEL);
      ParquetFileWriter writer =
          new ParquetFileWriter(out, schema, ParquetFileWriter.Mode.CREATE, 128L << 20, 0);
      writer.start();
      int rows = table.rows();
      int groups = 0;
      for (int start = 0; start < rows; start += rowGroupRows) {
        int end = Math.min(rows, start + rowGroupRows);
        writeGroup(writer, schema, properties, compressor, table, keysOrNull, start, end);
        groups++;
      }
      writer.end(Map.of());
      return groups;
    } finally {
      codecs.release();
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
      ParquetProperties properties,
      BytesInputCompressor compressor,
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
            properties.getColumnIndexTruncateLength(),
            properties.getPageWriteChecksumEnabled());
    ColumnWriteStore store = properties.newColumnWriteStore(schema, pages);
    int offset = keys == null ? 0 : 1;
    ColumnWriter[] writers = new ColumnWriter[schema.getColumns().size()];
    for (int c = 0; c < writers.length; c++) {
      ColumnDescriptor descriptor = schema.getColumns().get(c);
      writers[c] = store.getColumnWriter(descriptor);
    }
    for (int row = start; row < end; row++) {
      if (keys != null) {
        writers[0].write(keys.key(row), 0, 0);
      }
      for (int c = 0; c < table.columns().size(); c++) {
        if (table.nulls()[c].get(row)) {
          writers[c + offset].writeNull(0, 0);
        } else {
          writers[c + offset].write(table.values()[c][row], 0, 1);
        }
      }
      store.endRecord();
    }
    writer.startBlock(end - start);
    store.flush();
    pages.flushToFileWriter(writer);
    writer.endBlock();
    store.close();
    pages.close();
  }
}

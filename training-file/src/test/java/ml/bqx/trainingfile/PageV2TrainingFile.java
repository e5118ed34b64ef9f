package ml.bqx.trainingfile;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.trainingfile.io.UploadOutputFile;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * A training file with data pages v2 (levels stored apart from the zstd-compressed values), which
 * DuckDB does not write: written by parquet-java's own column writers with format 2.0 properties,
 * streamed into a store upload through {@link UploadOutputFile}. zstd-jni compresses (the codec
 * parquet-java would reach through Hadoop).
 */
final class PageV2TrainingFile {
  static final String FEATURE = "px__close";
  private static final long FIRST_KEY = 1_767_571_200_000_000L; // 2026-01-05T00:00:00Z
  private static final long STEP = 900_000_000L; // 15 minutes

  private PageV2TrainingFile() {}

  /** Writes {@code rows} rows in row groups of {@code groupRows}, with this footer metadata. */
  static ObjectInfo write(
      ObjectStore store, URI uri, int rows, int groupRows, Map<String, String> metadata)
      throws IOException {
    MessageType schema = schema();
    ParquetProperties properties =
        ParquetProperties.builder()
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
            .build();
    try (ObjectUpload upload = store.upload(uri)) {
      ParquetFileWriter writer =
          new ParquetFileWriter(
              new UploadOutputFile(upload, uri.toString()),
              schema,
              ParquetFileWriter.Mode.CREATE,
              128L << 20,
              0,
              properties.getColumnIndexTruncateLength(),
              properties.getStatisticsTruncateLength(),
              properties.getPageWriteChecksumEnabled());
      writer.start();
      for (int start = 0; start < rows; start += groupRows) {
        writeGroup(writer, schema, properties, start, Math.min(rows, start + groupRows));
      }
      writer.end(metadata);
      return upload.finish();
    }
  }

  private static MessageType schema() {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    builder // optional, as BigQuery's and DuckDB's keys are: its pages carry definition levels
        .optional(PrimitiveTypeName.INT64)
        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
        .named(WarehouseLayout.KEY);
    for (String column : columns()) {
      builder.optional(PrimitiveTypeName.DOUBLE).named(column);
    }
    return builder.named("training");
  }

  private static List<String> columns() {
    List<String> columns = new java.util.ArrayList<>(WarehouseLayout.HORIZONS);
    columns.add(FEATURE);
    return columns;
  }

  private static void writeGroup(
      ParquetFileWriter writer, MessageType schema, ParquetProperties properties, int from, int to)
      throws IOException {
    ColumnChunkPageWriteStore pages =
        new ColumnChunkPageWriteStore(
            new ZstdCompressor(),
            schema,
            new HeapByteBufferAllocator(),
            properties.getColumnIndexTruncateLength(),
            properties.getPageWriteChecksumEnabled());
    ColumnWriteStore store = properties.newColumnWriteStore(schema, pages);
    List<ColumnWriter> writers = schema.getColumns().stream().map(store::getColumnWriter).toList();
    for (int row = from; row < to; row++) {
      writers.get(0).write(FIRST_KEY + row * STEP, 0, 1);
      for (int c = 1; c < writers.size(); c++) {
        if (row % 5 == c) {
          writers.get(c).writeNull(0, 0); // a few nulls: the definition levels carry something
        } else {
          writers.get(c).write((row % 97) / 10.0, 0, 1);
        }
      }
      store.endRecord();
    }
    writer.startBlock(to - from);
    store.flush();
    pages.flushToFileWriter(writer);
    writer.endBlock();
    store.close();
    pages.close();
  }

  private static final class ZstdCompressor implements BytesInputCompressor {
    @Override
    public BytesInput compress(BytesInput bytes) throws IOException {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      bytes.writeAllTo(raw);
      return BytesInput.from(Zstd.compress(raw.toByteArray()));
    }

    @Override
    public CompressionCodecName getCodecName() {
      return CompressionCodecName.ZSTD;
    }

    @Override
    public void release() {}
  }
}

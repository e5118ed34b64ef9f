package ml.bqx.job.merge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.text.OneLine;
import ml.bqx.job.extract.Checkpoint;
import ml.bqx.job.stage.JobFailure;
import ml.bqx.trainingfile.TrainingFileMetadata;
import ml.bqx.trainingfile.io.StoreInputFile;
import ml.bqx.trainingfile.io.UploadOutputFile;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.ColumnOrder;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Writes the training file by copying the encoded column chunks of every checkpoint, row group by
 * row group, into one upload with one footer. No value is decoded; only one checkpoint's footer and
 * one chunk's buffer are held at a time, whatever the number of tables.
 */
public final class ColumnChunkStitcher {
  private final ObjectStore store;
  private final Consumer<Checkpoint> onUnreadable;

  /**
   * @param onUnreadable told of a checkpoint that cannot be read (e.g. to drop its marker so the
   *     next attempt extracts the table again)
   */
  public ColumnChunkStitcher(ObjectStore store, Consumer<Checkpoint> onUnreadable) {
    this.store = store;
    this.onUnreadable = onUnreadable;
  }

  /**
   * Stitches the checkpoints (the targets' first) into the upload and finishes it.
   *
   * @param metadata key-value metadata for the footer; the schema hash is added
   */
  // The constructor taking ParquetProperties also applies them to the footer; this writer's footer
  // is
  // what every reader of issue 12 was checked against, so it changes only with that check.
  @SuppressWarnings("deprecation")
  public MergeResult merge(
      List<Checkpoint> checkpoints, ObjectUpload upload, Map<String, String> metadata)
      throws IOException {
    Layout layout = layout(checkpoints);
    ParquetFileWriter writer =
        new ParquetFileWriter(
            new UploadOutputFile(upload, "merge"),
            layout.schema,
            ParquetFileWriter.Mode.CREATE,
            128L << 20,
            0);
    writer.start();
    for (int group = 0; group < layout.rowCounts.size(); group++) {
      writer.startBlock(layout.rowCounts.get(group));
      for (int i = 0; i < checkpoints.size(); i++) {
        copyGroup(writer, layout.schema, checkpoints.get(i), layout.sources.get(i), group);
      }
      writer.endBlock();
    }
    Map<String, String> footer = new LinkedHashMap<>(metadata);
    footer.put(TrainingFileMetadata.SCHEMA_HASH, layout.schemaHash);
    writer.end(footer);
    long rows = layout.rowCounts.stream().mapToLong(Long::longValue).sum();
    return new MergeResult(
        upload.finish(),
        rows,
        layout.schema.getFieldCount(),
        layout.rowCounts.size(),
        layout.schemaHash);
  }

  private void copyGroup(
      ParquetFileWriter writer, MessageType schema, Checkpoint checkpoint, Source source, int group)
      throws IOException {
    // The footer read in the layout pass is reused: no stat and no footer parse per row group.
    StoreInputFile input = new StoreInputFile(store, checkpoint.uri(), source.length());
    SeekableInputStream stream = input.newStream();
    try (ParquetFileReader reader =
        ParquetFileReader.open(input, source.footer(), readOptions(), stream)) {
      BlockMetaData block = source.footer().getBlocks().get(group);
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        ColumnDescriptor descriptor = schema.getColumnDescription(chunk.getPath().toArray());
        writer.appendColumnChunk(
            descriptor,
            stream,
            chunk,
            reader.readBloomFilter(chunk),
            reader.readColumnIndex(chunk),
            reader.readOffsetIndex(chunk));
      }
    }
  }

  /** Reads every footer once, one at a time: the merged schema and the common row groups. */
  private Layout layout(List<Checkpoint> checkpoints) throws IOException {
    if (checkpoints.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    List<Type> fields = new ArrayList<>();
    Map<String, String> owners = new HashMap<>();
    List<Long> rowCounts = null;
    List<Source> sources = new ArrayList<>();
    MessageDigest digest = sha256();
    for (Checkpoint checkpoint : checkpoints) {
      ParquetMetadata footer;
      StoreInputFile input = StoreInputFile.open(store, checkpoint.uri());
      try (ParquetFileReader reader = open(checkpoint, input)) {
        footer = reader.getFooter();
      }
      sources.add(new Source(input.getLength(), footer));
      List<Long> counts = footer.getBlocks().stream().map(BlockMetaData::getRowCount).toList();
      if (rowCounts == null) {
        requireKeyFirst(checkpoint, footer.getFileMetaData().getSchema());
        rowCounts = counts;
      } else if (!rowCounts.equals(counts)) {
        throw new JobFailure(
            "checkpoint of "
                + checkpoint.table()
                + " has row groups "
                + counts
                + " but the targets' are "
                + rowCounts
                + ": it was aligned to another spine",
            true);
      }
      for (Type field : footer.getFileMetaData().getSchema().getFields()) {
        String owner = owners.putIfAbsent(field.getName(), checkpoint.table());
        if (owner != null) {
          throw JobFailure.badInput(
              "column name collision: "
                  + field.getName()
                  + " comes from both table "
                  + owner
                  + " and table "
                  + checkpoint.table());
        }
        fields.add(readableByAll(field));
        digest.update((field.toString() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    return new Layout(
        new MessageType("training", fields),
        rowCounts,
        HexFormat.of().formatHex(digest.digest()),
        sources);
  }

  /**
   * The field with TYPE_DEFINED_ORDER, whatever the checkpoint's writer chose: the merged footer's
   * column orders come from this schema, and IEEE_754_TOTAL_ORDER (parquet-java 1.18's default for
   * doubles) makes Polars before mid-2026 refuse the whole file. A checkpoint left by an older
   * attempt may still carry it.
   */
  private static Type readableByAll(Type field) {
    if (field.isPrimitive()
        && !ColumnOrder.typeDefined().equals(field.asPrimitiveType().columnOrder())) {
      return field.asPrimitiveType().withColumnOrder(ColumnOrder.typeDefined());
    }
    return field;
  }

  private ParquetFileReader open(Checkpoint checkpoint, StoreInputFile input) throws IOException {
    try {
      return ParquetFileReader.open(input, readOptions());
    } catch (IOException | RuntimeException e) {
      onUnreadable.accept(checkpoint);
      throw new JobFailure(
          "checkpoint "
              + checkpoint.uri()
              + " of table "
              + checkpoint.table()
              + " is unreadable: "
              + OneLine.of(e.getMessage()),
          true,
          e);
    }
  }

  private static ParquetReadOptions readOptions() {
    return ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
  }

  /**
   * A checkpoint as the layout pass found it: its size and footer (a few KB per table, the same
   * order as the merged footer the writer keeps anyway).
   */
  private record Source(long length, ParquetMetadata footer) {}

  private static void requireKeyFirst(Checkpoint checkpoint, MessageType schema) {
    Type first = schema.getFields().get(0);
    boolean ok =
        first.getName().equals(WarehouseLayout.KEY)
            && first.isPrimitive()
            && first.asPrimitiveType().getPrimitiveTypeName()
                == PrimitiveType.PrimitiveTypeName.INT64
            && first.getLogicalTypeAnnotation()
                instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
    if (!ok) {
      throw new JobFailure(
          "the first checkpoint ("
              + checkpoint.table()
              + ") does not start with the "
              + WarehouseLayout.KEY
              + " timestamp column",
          false);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Layout(
      MessageType schema, List<Long> rowCounts, String schemaHash, List<Source> sources) {}
}

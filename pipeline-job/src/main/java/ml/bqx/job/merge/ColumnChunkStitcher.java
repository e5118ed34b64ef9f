package ml.bqx.job.merge;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.text.OneLine;
import ml.bqx.job.extract.Checkpoint;
import ml.bqx.job.stage.JobFailure;
import ml.bqx.trainingfile.TrainingFileMetadata;
import ml.bqx.trainingfile.io.UploadOutputFile;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.ColumnOrder;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Writes the training file by copying the encoded column chunks of every checkpoint, row group by
 * row group, into one upload with one footer. No value is decoded. Every checkpoint's footer and
 * page indexes are read once, from its end; each row group's chunks of a checkpoint lie side by
 * side and are read as one span in one ranged read (or a few, for a span over {@link
 * SpanPrefetcher#PIECE}), a few spans ahead of the copy within a byte budget: on GCS that is about
 * one request per checkpoint per row group plus one per footer, and memory stays flat whatever the
 * number of tables.
 */
public final class ColumnChunkStitcher {
  /** Reads at once: GCS's first byte takes tens of ms, so requests overlap. */
  private static final int READERS = 8;

  /**
   * Footer reads at once: each is small and mostly waiting for its first byte, and the copy cannot
   * start before the last (669 of them at 30 ms, 8 at a time, were 2.5 s of a seed-scale merge).
   */
  private static final int FOOTER_READERS = 32;

  /**
   * Bytes read ahead of the copy, at most (plus one piece larger than this): 64 MiB, less on a
   * small heap.
   */
  private static final long READ_AHEAD = Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8);

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
  public MergeResult merge(
      List<Checkpoint> checkpoints, ObjectUpload upload, Map<String, String> metadata)
      throws IOException {
    ExecutorService readers = Executors.newFixedThreadPool(READERS, ColumnChunkStitcher::reader);
    try {
      return merge(checkpoints, upload, metadata, readers);
    } finally {
      readers.shutdownNow();
    }
  }

  // The constructor taking ParquetProperties also applies them to the footer; this writer's footer
  // is what every reader of issue 12 was checked against, so it changes only with that check.
  @SuppressWarnings("deprecation")
  private MergeResult merge(
      List<Checkpoint> checkpoints,
      ObjectUpload upload,
      Map<String, String> metadata,
      ExecutorService readers)
      throws IOException {
    Layout layout;
    ExecutorService footerReaders =
        Executors.newFixedThreadPool(FOOTER_READERS, ColumnChunkStitcher::reader);
    try {
      layout = layout(checkpoints, footerReaders);
    } finally {
      footerReaders.shutdownNow();
    }
    ParquetFileWriter writer =
        new ParquetFileWriter(
            new UploadOutputFile(upload, "merge"),
            layout.schema,
            ParquetFileWriter.Mode.CREATE,
            128L << 20,
            0);
    writer.start();
    try (SpanPrefetcher spans = new SpanPrefetcher(store, pieces(layout), readers, READ_AHEAD)) {
      for (int group = 0; group < layout.rowCounts.size(); group++) {
        writer.startBlock(layout.rowCounts.get(group));
        for (CheckpointFooter source : layout.sources) {
          copyGroup(writer, layout.schema, source, group, spans);
        }
        writer.endBlock();
      }
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

  /** Every ranged read of the copy, in the order it copies: row group, then checkpoint. */
  private static List<SpanPrefetcher.Piece> pieces(Layout layout) {
    List<SpanPrefetcher.Piece> pieces = new ArrayList<>();
    for (int group = 0; group < layout.rowCounts.size(); group++) {
      for (CheckpointFooter source : layout.sources) {
        Checkpoint checkpoint = source.checkpoint();
        long end = source.spanEnd(group);
        for (long at = source.spanStart(group); at < end; at += SpanPrefetcher.PIECE) {
          int length = (int) Math.min(SpanPrefetcher.PIECE, end - at);
          pieces.add(new SpanPrefetcher.Piece(checkpoint.uri(), checkpoint.size(), at, length));
        }
      }
    }
    return pieces;
  }

  private void copyGroup(
      ParquetFileWriter writer,
      MessageType schema,
      CheckpointFooter source,
      int group,
      SpanPrefetcher spans)
      throws IOException {
    Checkpoint checkpoint = source.checkpoint();
    SpanStream stream =
        new SpanStream(
            spans, checkpoint.uri().toString(), source.spanStart(group), source.spanEnd(group));
    try {
      List<ColumnChunkMetaData> chunks = source.footer().getBlocks().get(group).getColumns();
      for (int c = 0; c < chunks.size(); c++) {
        ColumnChunkMetaData chunk = chunks.get(c);
        CheckpointFooter.ChunkIndexes indexes = source.indexes().get(group).get(c);
        writer.appendColumnChunk(
            schema.getColumnDescription(chunk.getPath().toArray()),
            stream,
            chunk,
            indexes.bloomFilter(),
            indexes.columnIndex(),
            indexes.offsetIndex());
      }
      stream.finish();
    } catch (EOFException e) {
      throw unreadable(checkpoint, e);
    }
  }

  /**
   * Reads every footer once, several at a time (each one request on GCS), and checks them in order:
   * the merged schema and the common row groups.
   */
  private Layout layout(List<Checkpoint> checkpoints, ExecutorService readers) throws IOException {
    if (checkpoints.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    List<Type> fields = new ArrayList<>();
    Map<String, String> owners = new HashMap<>();
    List<Long> rowCounts = null;
    List<CheckpointFooter> sources = new ArrayList<>();
    MessageDigest digest = sha256();
    List<Future<CheckpointFooter>> footers = new ArrayList<>();
    try {
      for (Checkpoint checkpoint : checkpoints) {
        footers.add(readers.submit(() -> CheckpointFooter.read(store, checkpoint)));
      }
      for (int i = 0; i < checkpoints.size(); i++) {
        Checkpoint checkpoint = checkpoints.get(i);
        CheckpointFooter source = await(checkpoint, footers.get(i));
        sources.add(source);
        ParquetMetadata footer = source.footer();
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
    } finally {
      footers.forEach(footer -> footer.cancel(true)); // those after a failure
    }
    return new Layout(
        new MessageType("training", fields),
        rowCounts,
        HexFormat.of().formatHex(digest.digest()),
        sources);
  }

  private CheckpointFooter await(Checkpoint checkpoint, Future<CheckpointFooter> footer)
      throws IOException {
    try {
      return footer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted reading the footer of " + checkpoint.uri());
    } catch (ExecutionException e) {
      throw unreadable(checkpoint, e.getCause());
    }
  }

  private JobFailure unreadable(Checkpoint checkpoint, Throwable cause) {
    onUnreadable.accept(checkpoint);
    return new JobFailure(
        "checkpoint "
            + checkpoint.uri()
            + " of table "
            + checkpoint.table()
            + " is unreadable: "
            + OneLine.of(cause.getMessage()),
        true,
        cause);
  }

  private static Thread reader(Runnable task) {
    Thread thread = new Thread(task, "merge-read");
    thread.setDaemon(true);
    return thread;
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
      MessageType schema,
      List<Long> rowCounts,
      String schemaHash,
      List<CheckpointFooter> sources) {}
}

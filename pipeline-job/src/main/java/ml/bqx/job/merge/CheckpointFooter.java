package ml.bqx.job.merge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.job.extract.Checkpoint;
import ml.bqx.trainingfile.io.StoreInputFile;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.values.bloomfilter.BloomFilter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;

/**
 * A checkpoint's footer and the page indexes of every chunk, read once from the end of the object
 * (one ranged read when they fit in its last 64 KiB), at the size its record gives: no metadata
 * request. The merge then needs only each row group's column chunks, which lie side by side.
 *
 * @param indexes per row group, per column chunk in footer order
 */
record CheckpointFooter(
    Checkpoint checkpoint, ParquetMetadata footer, List<List<ChunkIndexes>> indexes) {

  /** What the writer carries over of one chunk besides its bytes. */
  record ChunkIndexes(BloomFilter bloomFilter, ColumnIndex columnIndex, OffsetIndex offsetIndex) {}

  /**
   * The window of the footer read: a checkpoint's footer and page indexes take a few KB a column
   * (16 columns: ~10 KB); a wider one costs another read, not a larger window for all.
   */
  private static final int TAIL = 64 << 10;

  static CheckpointFooter read(ObjectStore store, Checkpoint checkpoint) throws IOException {
    StoreInputFile input = new StoreInputFile(store, checkpoint.uri(), checkpoint.size(), TAIL);
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            input, ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      ParquetMetadata footer = reader.getFooter();
      List<List<ChunkIndexes>> indexes = new ArrayList<>();
      for (BlockMetaData block : footer.getBlocks()) {
        List<ChunkIndexes> group = new ArrayList<>(block.getColumns().size());
        for (ColumnChunkMetaData chunk : block.getColumns()) {
          group.add(
              new ChunkIndexes(
                  reader.readBloomFilter(chunk),
                  reader.readColumnIndex(chunk),
                  reader.readOffsetIndex(chunk)));
        }
        indexes.add(group);
      }
      return new CheckpointFooter(checkpoint, footer, indexes);
    }
  }

  /** Where row group {@code group}'s column chunks start in the object. */
  long spanStart(int group) {
    return footer.getBlocks().get(group).getColumns().stream()
        .mapToLong(ColumnChunkMetaData::getStartingPos)
        .min()
        .orElse(0);
  }

  /** Where they end. */
  long spanEnd(int group) {
    return footer.getBlocks().get(group).getColumns().stream()
        .mapToLong(chunk -> chunk.getStartingPos() + chunk.getTotalSize())
        .max()
        .orElse(0);
  }
}

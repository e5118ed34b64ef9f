package ml.bqx.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.EnumSet;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.job.testing.JobFixture;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.ColumnOrder;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training file carries only what readers since 2023 know (the README's reader section): the
 * type-defined column order (IEEE_754_TOTAL_ORDER makes Polars before mid-2026 refuse the file),
 * data pages v1 in PLAIN with RLE levels, no size statistics, a UTC microsecond timestamp key.
 * TrainingFileReadersTest (cli) proves the readers themselves open it.
 */
class TrainingFileFormatTest {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("deprecation") // BIT_PACKED: a legacy level encoding old readers know
  void trainingFile_usesOnlyFormatFeaturesEveryMainstreamReaderHas() throws Exception {
    JobFixture fixture = new JobFixture(dir).seeded();
    assertThat(JobFixture.runInProcess(fixture.env("eurusd", "format", 1)).exitCode()).isZero();
    Path file = fixture.output.resolve("training_eurusd.parquet");

    try (ParquetFileReader reader =
        ParquetFileReader.open(
            new LocalInputFile(file),
            ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      for (ColumnDescriptor column : schema.getColumns()) {
        assertThat(column.getPrimitiveType().columnOrder())
            .as(column.toString())
            .isEqualTo(ColumnOrder.typeDefined());
      }
      LogicalTypeAnnotation key = schema.getType(WarehouseLayout.KEY).getLogicalTypeAnnotation();
      assertThat(key)
          .isEqualTo(
              LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        for (ColumnChunkMetaData chunk : block.getColumns()) {
          assertThat(chunk.getEncodings())
              .as(chunk.getPath().toDotString())
              .isSubsetOf(EnumSet.of(Encoding.PLAIN, Encoding.RLE, Encoding.BIT_PACKED));
          SizeStatistics size = chunk.getSizeStatistics();
          assertThat(size == null || !size.isValid()).as("size statistics").isTrue();
        }
      }
      PageReadStore group = reader.readNextRowGroup();
      for (ColumnDescriptor column : schema.getColumns()) {
        assertThat(group.getPageReader(column).readPage()).isInstanceOf(DataPageV1.class);
      }
    }
  }
}

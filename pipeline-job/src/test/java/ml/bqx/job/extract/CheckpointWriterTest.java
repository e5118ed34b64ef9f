package ml.bqx.job.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import ml.bqx.core.port.WarehouseLayout;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint's pages are encoded by our own code (ColumnPages), so parquet-java's reader is the
 * judge: every cell read back value by value (nulls, NaN, infinities and the sign of zero
 * included), and the statistics readers prune with (the chunk's min/max/null count, each page's in
 * the column index, each page's first row in the offset index) equal what the table holds.
 */
class CheckpointWriterTest {
  private static final int ROWS = 45_123;
  private static final int GROUP_ROWS = 40_000;
  private static final double[] SPECIAL = {
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    -0.0,
    0.0,
    Double.MIN_VALUE,
    -Double.MAX_VALUE
  };

  @TempDir Path dir;

  @Test
  void checkpoint_readsBackCellByCell_withTheStatisticsOfWhatItHolds() throws Exception {
    AlignedTable table = table(new Random(18));
    long[] keys = new long[ROWS];
    for (int row = 0; row < ROWS; row++) {
      keys[row] = 1_700_000_000_000_000L + row * 60_000_000L;
    }
    Path file = dir.resolve("checkpoint.parquet");

    int groups =
        CheckpointWriter.write(
            new LocalOutputFile(file), table, Spine.of("targets", keys), GROUP_ROWS);

    assertThat(groups).isEqualTo(2);
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            new LocalInputFile(file),
            ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      List<ColumnDescriptor> columns = schema.getColumns();
      assertThat(columns.get(0).getPath()).containsExactly(WarehouseLayout.KEY);
      int first = 0;
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        int rows = (int) block.getRowCount();
        assertThat(rows).isEqualTo(Math.min(GROUP_ROWS, ROWS - first));
        checkStatistics(reader, block, table, first, rows);
        PageReadStore group = reader.readNextRowGroup();
        ColumnReadStoreImpl store =
            new ColumnReadStoreImpl(
                group,
                new GroupRecordConverter(schema).getRootConverter(),
                schema,
                reader.getFooter().getFileMetaData().getCreatedBy());
        ColumnReader key = store.getColumnReader(columns.get(0));
        for (int row = first; row < first + rows; row++) {
          assertThat(key.getLong()).as("key of row %d", row).isEqualTo(keys[row]);
          key.consume();
        }
        for (int c = 0; c < table.columns().size(); c++) {
          ColumnReader cells = store.getColumnReader(columns.get(c + 1));
          for (int row = first; row < first + rows; row++) {
            String cell = table.columns().get(c) + " row " + row;
            boolean isNull = table.nulls()[c].get(row);
            assertThat(cells.getCurrentDefinitionLevel()).as(cell).isEqualTo(isNull ? 0 : 1);
            if (!isNull) {
              assertThat(Double.doubleToRawLongBits(cells.getDouble()))
                  .as(cell)
                  .isEqualTo(Double.doubleToRawLongBits(table.values()[c][row]));
            }
            cells.consume();
          }
        }
        first += rows;
      }
      assertThat(first).isEqualTo(ROWS);
    }
  }

  private static void checkStatistics(
      ParquetFileReader reader, BlockMetaData block, AlignedTable table, int first, int rows)
      throws Exception {
    for (int c = 0; c < table.columns().size(); c++) {
      ColumnChunkMetaData chunk = block.getColumns().get(c + 1);
      String name = table.columns().get(c);
      Expected whole = Expected.of(table, c, first, first + rows);
      Statistics<?> statistics = chunk.getStatistics();
      assertThat(statistics.getNumNulls()).as(name).isEqualTo(whole.nulls);
      assertThat(statistics.hasNonNullValue()).as(name).isEqualTo(whole.hasMinMax());
      if (whole.hasMinMax()) {
        assertThat(bits((Double) statistics.genericGetMin())).as(name).isEqualTo(bits(whole.min));
        assertThat(bits((Double) statistics.genericGetMax())).as(name).isEqualTo(bits(whole.max));
      }
      OffsetIndex offsets = reader.readOffsetIndex(chunk);
      int expectedPages = (rows + ColumnPages.PAGE_ROWS - 1) / ColumnPages.PAGE_ROWS;
      assertThat(offsets.getPageCount()).as(name).isEqualTo(expectedPages);
      for (int p = 0; p < expectedPages; p++) {
        assertThat(offsets.getFirstRowIndex(p)).as(name).isEqualTo(p * ColumnPages.PAGE_ROWS);
      }
      ColumnIndex pages = reader.readColumnIndex(chunk);
      if (whole.nan) {
        // parquet-java leaves out the column index of a chunk with a NaN: NaN has no place in
        // the type-defined order of doubles
        assertThat(pages).as(name).isNull();
        continue;
      }
      for (int p = 0; p < expectedPages; p++) {
        int from = p * ColumnPages.PAGE_ROWS;
        int to = Math.min(rows, from + ColumnPages.PAGE_ROWS);
        Expected page = Expected.of(table, c, first + from, first + to);
        assertThat(pages.getNullCounts().get(p)).as(name + " page " + p).isEqualTo(page.nulls);
        assertThat(pages.getNullPages().get(p)).as(name).isEqualTo(!page.hasMinMax());
        if (page.hasMinMax()) {
          assertThat(bits(littleEndian(pages.getMinValues().get(p))))
              .as(name + " page " + p)
              .isEqualTo(bits(page.min));
          assertThat(bits(littleEndian(pages.getMaxValues().get(p))))
              .as(name + " page " + p)
              .isEqualTo(bits(page.max));
        }
      }
    }
  }

  private static double littleEndian(ByteBuffer bound) {
    return bound.order(ByteOrder.LITTLE_ENDIAN).getDouble(0);
  }

  private static long bits(double value) {
    return Double.doubleToRawLongBits(value);
  }

  /**
   * Columns that exercise the level encoder's runs and the statistics' edge cases: random nulls, a
   * long leading null run, no value at all, no null at all with special values among them.
   */
  private static AlignedTable table(Random random) {
    List<String> names = List.of("f_random_nulls", "f_late_start", "f_all_null", "f_special");
    double[][] values = new double[names.size()][ROWS];
    BitSet[] nulls = new BitSet[names.size()];
    for (int c = 0; c < names.size(); c++) {
      nulls[c] = new BitSet(ROWS);
    }
    for (int row = 0; row < ROWS; row++) {
      values[0][row] = random.nextGaussian() * 1e3;
      if (random.nextInt(10) < 3) {
        nulls[0].set(row);
      }
      values[1][row] = row * 0.25 - 7_000;
      if (row < 27_500) {
        nulls[1].set(row);
      }
      nulls[2].set(row);
      values[3][row] = row % 11 == 0 ? SPECIAL[row / 11 % SPECIAL.length] : random.nextDouble();
    }
    return new AlignedTable("features", names, values, nulls, ROWS);
  }

  /**
   * What Parquet's statistics say of rows [from, to): NaN is left out of min/max, and a zero bound
   * is -0.0 as a minimum and +0.0 as a maximum (PARQUET-1222), whichever zero the data holds.
   */
  private record Expected(long nulls, double min, double max, boolean any, boolean nan) {
    static Expected of(AlignedTable table, int column, int from, int to) {
      long nulls = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      boolean any = false;
      boolean nan = false;
      for (int row = from; row < to; row++) {
        if (table.nulls()[column].get(row)) {
          nulls++;
          continue;
        }
        double value = table.values()[column][row];
        if (Double.isNaN(value)) {
          nan = true;
          continue;
        }
        any = true;
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
      if (min == 0.0) {
        min = -0.0;
      }
      if (max == 0.0) {
        max = 0.0;
      }
      return new Expected(nulls, min, max, any, nan);
    }

    boolean hasMinMax() {
      return any;
    }
  }
}

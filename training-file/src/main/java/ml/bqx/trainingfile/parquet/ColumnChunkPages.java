package ml.bqx.trainingfile.parquet;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.DictionaryPageHeader;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * The pages of one column chunk of one row group, read with one ranged read and decompressed, for
 * parquet-java's column readers to decode (levels, encodings, dictionaries are theirs). What {@code
 * ParquetFileReader.readNextRowGroup} does for a requested column, without its Hadoop codec
 * factory; unencrypted files only (the validator refuses others by their magic first).
 */
public final class ColumnChunkPages implements PageReadStore, PageReader {
  private final ColumnDescriptor column;
  private final long rows;
  private final long values;
  private final DictionaryPage dictionary;
  private final Deque<DataPage> pages;

  private ColumnChunkPages(
      ColumnDescriptor column,
      long rows,
      long values,
      DictionaryPage dictionary,
      Deque<DataPage> pages) {
    this.column = column;
    this.rows = rows;
    this.values = values;
    this.dictionary = dictionary;
    this.pages = pages;
  }

  /** Reads the chunk of {@code column} in {@code block}. */
  public static ColumnChunkPages read(InputFile input, BlockMetaData block, ColumnDescriptor column)
      throws IOException {
    ColumnChunkMetaData chunk =
        block.getColumns().stream()
            .filter(c -> c.getPath().equals(ColumnPath.get(column.getPath())))
            .findFirst()
            .orElseThrow(() -> new IOException("row group has no chunk of " + column));
    byte[] bytes = new byte[Math.toIntExact(chunk.getTotalSize())];
    try (SeekableInputStream stream = input.newStream()) {
      stream.seek(chunk.getStartingPos());
      stream.readFully(bytes);
    }
    ParquetMetadataConverter converter = new ParquetMetadataConverter();
    ByteArrayInputStream in = new ByteArrayInputStream(bytes);
    Statistics<?> noStatistics = Statistics.createStats(column.getPrimitiveType());
    DictionaryPage dictionary = null;
    Deque<DataPage> pages = new ArrayDeque<>();
    long valuesRead = 0;
    while (valuesRead < chunk.getValueCount()) {
      PageHeader header = Util.readPageHeader(in);
      int compressed = header.getCompressed_page_size();
      int uncompressed = header.getUncompressed_page_size();
      switch (header.getType()) {
        case DICTIONARY_PAGE -> {
          DictionaryPageHeader d = header.getDictionary_page_header();
          byte[] page = PageCodecs.decompress(chunk.getCodec(), take(in, compressed), uncompressed);
          dictionary =
              new DictionaryPage(
                  BytesInput.from(page), d.getNum_values(), converter.getEncoding(d.getEncoding()));
        }
        case DATA_PAGE -> {
          DataPageHeader d = header.getData_page_header();
          byte[] page = PageCodecs.decompress(chunk.getCodec(), take(in, compressed), uncompressed);
          pages.add(
              new DataPageV1(
                  BytesInput.from(page),
                  d.getNum_values(),
                  uncompressed,
                  noStatistics,
                  converter.getEncoding(d.getRepetition_level_encoding()),
                  converter.getEncoding(d.getDefinition_level_encoding()),
                  converter.getEncoding(d.getEncoding())));
          valuesRead += d.getNum_values();
        }
        case DATA_PAGE_V2 -> {
          // Levels are never compressed in a v2 page; the data after them may be.
          DataPageHeaderV2 d = header.getData_page_header_v2();
          int repetition = d.getRepetition_levels_byte_length();
          int definition = d.getDefinition_levels_byte_length();
          byte[] repetitionLevels = take(in, repetition);
          byte[] definitionLevels = take(in, definition);
          byte[] data = take(in, compressed - repetition - definition);
          if (!d.isSetIs_compressed() || d.isIs_compressed()) {
            data =
                PageCodecs.decompress(
                    chunk.getCodec(), data, uncompressed - repetition - definition);
          }
          pages.add(
              DataPageV2.uncompressed(
                  d.getNum_rows(),
                  d.getNum_nulls(),
                  d.getNum_values(),
                  BytesInput.from(repetitionLevels),
                  BytesInput.from(definitionLevels),
                  converter.getEncoding(d.getEncoding()),
                  BytesInput.from(data),
                  noStatistics));
          valuesRead += d.getNum_values();
        }
        default -> take(in, compressed); // index pages and the like: nothing to decode
      }
    }
    return new ColumnChunkPages(column, block.getRowCount(), valuesRead, dictionary, pages);
  }

  private static byte[] take(ByteArrayInputStream in, int length) throws IOException {
    if (length < 0 || length > in.available()) {
      throw new IOException(
          "a page claims " + length + " bytes, its column chunk has " + in.available() + " left");
    }
    return in.readNBytes(length);
  }

  @Override
  public PageReader getPageReader(ColumnDescriptor descriptor) {
    if (!descriptor.equals(column)) {
      throw new IllegalArgumentException("only " + column + " was read, not " + descriptor);
    }
    return this;
  }

  @Override
  public long getRowCount() {
    return rows;
  }

  @Override
  public DictionaryPage readDictionaryPage() {
    return dictionary;
  }

  @Override
  public long getTotalValueCount() {
    return values;
  }

  @Override
  public DataPage readPage() {
    return pages.poll();
  }
}

package ml.bqx.trainingfile;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.trainingfile.io.StoreInputFile;
import ml.bqx.trainingfile.parquet.ColumnChunkPages;
import ml.bqx.trainingfile.parquet.ParquetFooter;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Validates a training file in an object store from its footer, with ranged reads only (never a
 * download): size and CRC32C as the store reports them, origin metadata, rows and columns, the 7
 * horizons present and not all null, no feature column entirely null (null counts from the footer's
 * statistics), and the key unique and increasing (a ranged read of the key's column chunks only).
 * Used by the job on its staging file, by the completion function on the published file and by
 * {@code bqx validate} on any file.
 */
public final class TrainingFileValidator {
  private final ObjectStore store;

  public TrainingFileValidator(ObjectStore store) {
    this.store = store;
  }

  /**
   * Checks the file against the expectations.
   *
   * @throws InvalidTrainingFileException listing every failed check, with the numbers
   * @throws IOException if the store cannot be read
   */
  public TrainingFileFacts validate(URI uri, TrainingFileExpectations expect) throws IOException {
    ObjectInfo info =
        store
            .stat(uri)
            .orElseThrow(
                () ->
                    new InvalidTrainingFileException(uri.toString(), List.of("it does not exist")));
    return validate(uri, info, new StoreInputFile(store, uri, info.size()), expect);
  }

  /**
   * Checks bytes read through {@code input}, whose size and CRC32C {@code info} gives (for a file
   * with no store beside it, the caller computes them from the bytes).
   */
  public static TrainingFileFacts validate(
      URI uri, ObjectInfo info, InputFile input, TrainingFileExpectations expect)
      throws IOException {
    String broken = ParquetFraming.problem(input);
    if (broken != null) {
      throw new InvalidTrainingFileException(uri.toString(), List.of(broken));
    }
    List<String> failures = new ArrayList<>();
    checkStoredObject(info, expect, failures);
    ParquetMetadata footer = footer(uri, input, failures);
    MessageType schema = footer.getFileMetaData().getSchema();
    Map<String, String> metadata =
        new LinkedHashMap<>(footer.getFileMetaData().getKeyValueMetaData());
    checkOrigin(expect, metadata, failures);
    long rows = footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum();
    int columns = schema.getFieldCount();
    checkShape(expect, rows, columns, failures);
    List<String> allNull = checkNulls(footer, schema, rows, failures);
    checkKey(input, footer, schema, failures);
    if (!failures.isEmpty()) {
      throw new InvalidTrainingFileException(uri.toString(), failures);
    }
    return new TrainingFileFacts(
        info.size(),
        info.crc32c(),
        info.generation(),
        rows,
        columns,
        footer.getBlocks().size(),
        (int) WarehouseLayout.HORIZONS.stream().filter(schema::containsField).count(),
        allNull,
        metadata);
  }

  /** Size and CRC32C as the store reports them. */
  private static void checkStoredObject(
      ObjectInfo info, TrainingFileExpectations expect, List<String> failures) {
    if (expect.crc32c() != null && !expect.crc32c().equals(info.crc32c())) {
      failures.add("CRC32C is " + info.crc32c() + ", expected " + expect.crc32c());
    }
    if (expect.minBytes() != null && info.size() < expect.minBytes()) {
      failures.add("size " + info.size() + " bytes < minimum " + expect.minBytes());
    }
    if (expect.maxBytes() != null && info.size() > expect.maxBytes()) {
      failures.add("size " + info.size() + " bytes > maximum " + expect.maxBytes());
    }
  }

  /** The footer; a file whose footer does not parse fails here with what was found so far. */
  private static ParquetMetadata footer(URI uri, InputFile input, List<String> failures) {
    try {
      return ParquetFooter.read(input);
    } catch (IOException | RuntimeException e) {
      failures.add("its footer is unreadable: " + ParquetFraming.reason(e));
      throw new InvalidTrainingFileException(uri.toString(), failures);
    }
  }

  private static void checkShape(
      TrainingFileExpectations expect, long rows, int columns, List<String> failures) {
    if (rows < expect.minRows()) {
      failures.add("rows " + rows + " < minimum " + expect.minRows());
    }
    if (columns < expect.minColumns()) {
      failures.add("columns " + columns + " < minimum " + expect.minColumns());
    }
    if (expect.columns() != null && columns != expect.columns()) {
      failures.add(
          "columns " + columns + " != " + expect.columns() + " (the tables' columns summed)");
    }
  }

  private static void checkOrigin(
      TrainingFileExpectations expect, Map<String, String> metadata, List<String> failures) {
    expectMeta(
        metadata,
        TrainingFileMetadata.RUN,
        expect.run() == null ? null : expect.run().value(),
        failures);
    expectMeta(
        metadata,
        TrainingFileMetadata.PAIR,
        expect.pair() == null ? null : expect.pair().name(),
        failures);
    expectMeta(
        metadata,
        TrainingFileMetadata.ATTEMPT,
        expect.attempt() == null ? null : expect.attempt().toString(),
        failures);
  }

  private static void expectMeta(
      Map<String, String> metadata, String key, String expected, List<String> failures) {
    if (expected != null && !expected.equals(metadata.get(key))) {
      failures.add("metadata " + key + " is " + metadata.get(key) + ", expected " + expected);
    }
  }

  /**
   * Null counts per column summed over row groups, from the footer's statistics.
   *
   * @return the columns that hold only nulls
   */
  private static List<String> checkNulls(
      ParquetMetadata footer, MessageType schema, long rows, List<String> failures) {
    Map<String, Long> nulls = new LinkedHashMap<>();
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        String name = chunk.getPath().toDotString();
        Statistics<?> statistics = chunk.getStatistics();
        long count =
            statistics == null || !statistics.isNumNullsSet() ? -1 : statistics.getNumNulls();
        nulls.merge(name, count, (a, b) -> a < 0 || b < 0 ? -1 : a + b);
      }
    }
    List<String> missingHorizons = new ArrayList<>();
    List<String> nullHorizons = new ArrayList<>();
    for (String horizon : WarehouseLayout.HORIZONS) {
      if (!schema.containsField(horizon)) {
        missingHorizons.add(horizon);
      } else if (nulls.getOrDefault(horizon, -1L) == rows) {
        nullHorizons.add(horizon);
      }
    }
    if (!missingHorizons.isEmpty()) {
      failures.add("horizon(s) missing: " + String.join(", ", missingHorizons));
    }
    if (!nullHorizons.isEmpty()) {
      failures.add("horizon(s) entirely null: " + String.join(", ", nullHorizons));
    }
    List<String> nullFeatures = new ArrayList<>();
    List<String> noStatistics = new ArrayList<>();
    nulls.forEach(
        (name, count) -> {
          if (name.equals(WarehouseLayout.KEY) || WarehouseLayout.HORIZONS.contains(name)) {
            return;
          }
          if (count < 0) {
            noStatistics.add(name);
          } else if (count == rows) {
            nullFeatures.add(name);
          }
        });
    if (!nullFeatures.isEmpty()) {
      failures.add(
          nullFeatures.size()
              + " feature column(s) entirely null, e.g. "
              + String.join(", ", nullFeatures.subList(0, Math.min(5, nullFeatures.size()))));
    }
    if (!noStatistics.isEmpty()) {
      failures.add(
          noStatistics.size() + " column(s) without null counts, e.g. " + noStatistics.get(0));
    }
    List<String> allNull = new ArrayList<>(nullHorizons);
    allNull.addAll(nullFeatures);
    return allNull;
  }

  /** The key is there, readable, of the right type, and its values pass {@link #checkKeyValues}. */
  private static void checkKey(
      InputFile input, ParquetMetadata footer, MessageType schema, List<String> failures) {
    if (!schema.containsField(WarehouseLayout.KEY)) {
      failures.add("key column " + WarehouseLayout.KEY + " is missing");
      return;
    }
    try {
      checkKeyValues(input, footer, schema, failures);
    } catch (IOException | RuntimeException e) {
      failures.add("its key column is unreadable: " + ParquetFraming.reason(e));
    }
  }

  /** Reads only the key's column chunks (ranged reads): non-null, unique, increasing. */
  private static void checkKeyValues(
      InputFile input, ParquetMetadata footer, MessageType schema, List<String> failures)
      throws IOException {
    PrimitiveType keyType = schema.getType(WarehouseLayout.KEY).asPrimitiveType();
    if (keyType.getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.INT64) {
      failures.add(
          "key column " + WarehouseLayout.KEY + " is " + keyType + ", expected INT64 timestamp");
      return;
    }
    MessageType keySchema = new MessageType(schema.getName(), keyType);
    ColumnDescriptor key = keySchema.getColumns().get(0);
    String createdBy = footer.getFileMetaData().getCreatedBy();
    long previous = 0;
    long row = 0;
    for (BlockMetaData block : footer.getBlocks()) {
      PageReadStore group = ColumnChunkPages.read(input, block, key);
      ColumnReader column =
          new ColumnReadStoreImpl(
                  group,
                  new GroupRecordConverter(keySchema).getRootConverter(),
                  keySchema,
                  createdBy)
              .getColumnReader(key);
      for (long i = 0; i < group.getRowCount(); i++, row++) {
        if (column.getCurrentDefinitionLevel() < key.getMaxDefinitionLevel()) {
          failures.add("key is null at row " + row);
          return;
        }
        long value = column.getLong();
        column.consume();
        if (row > 0 && value <= previous) {
          failures.add(
              "key is not unique and increasing at row "
                  + row
                  + " ("
                  + value
                  + " after "
                  + previous
                  + ")");
          return;
        }
        previous = value;
      }
    }
  }
}

package ml.bqx.bench.cloud;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.TableSize;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseColumn;
import ml.bqx.core.port.WarehouseTable;
import ml.bqx.wire.bigquery.FakeBigQueryRead;
import ml.bqx.wire.bigquery.FakeBigQueryReadTables;
import ml.bqx.wire.bigquery.FakeBigQueryRest;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A pair's tables of the embedded warehouse as BigQuery serves them: its catalog, sizes and table
 * states for the REST fake, and each table's Arrow batches for the Storage Read fake, read from
 * DuckDB when a session asks for the table. A TIMESTAMP comes as microseconds in "UTC", as the
 * Storage Read API's Arrow schema has it (DuckDB's export says "Etc/UTC"; the buffers are the
 * same).
 */
final class WarehouseOnWire implements FakeBigQueryReadTables.Source {
  /** Every table's last modification, as tables.get reports it: the seed does not change. */
  private static final long LAST_MODIFIED_MS = 1_760_000_000_000L;

  private final Warehouse warehouse;
  private final BufferAllocator allocator;
  private final Map<String, WarehouseTable> tables = new LinkedHashMap<>();
  private final List<TableSize> sizes;

  WarehouseOnWire(Warehouse warehouse, Pair pair, BufferAllocator allocator) throws IOException {
    this.warehouse = warehouse;
    this.allocator = allocator;
    for (WarehouseTable table : warehouse.discover(pair)) {
      tables.put(table.name(), table);
    }
    this.sizes = warehouse.sizes(pair);
  }

  /** The REST fake over this catalog, tables.get answering each table's rows. */
  FakeBigQueryRest rest() throws IOException {
    List<String[]> catalog = new ArrayList<>();
    for (WarehouseTable table : tables.values()) {
      for (WarehouseColumn column : table.columns()) {
        catalog.add(new String[] {table.name(), "BASE TABLE", column.name(), column.type()});
      }
    }
    List<String[]> sizeRows = new ArrayList<>();
    for (TableSize size : sizes) {
      sizeRows.add(
          new String[] {
            size.table(), "1", Long.toString(size.rows()), Long.toString(size.bytes())
          });
    }
    FakeBigQueryRest rest = new FakeBigQueryRest(catalog, sizeRows);
    for (TableSize size : sizes) {
      rest.tableState(size.table(), LAST_MODIFIED_MS, size.rows());
    }
    return rest;
  }

  @Override
  public FakeBigQueryRead open(String path) throws IOException {
    WarehouseTable table = tables.get(path.substring(path.lastIndexOf('/') + 1));
    if (table == null) {
      return null;
    }
    List<FakeBigQueryRead.Batch> batches = new ArrayList<>();
    Schema schema;
    try (BufferAllocator child = allocator.newChildAllocator(path, 0, Long.MAX_VALUE);
        ArrowReader reader = warehouse.read(table, child)) {
      schema = asStorageRead(reader.getVectorSchemaRoot().getSchema());
      while (reader.loadNextBatch()) {
        batches.add(FakeBigQueryRead.batch(reader.getVectorSchemaRoot()));
      }
    }
    return new FakeBigQueryRead(path, FakeBigQueryRead.serialized(schema), List.of(batches));
  }

  private static Schema asStorageRead(Schema schema) {
    List<Field> fields = new ArrayList<>();
    for (Field field : schema.getFields()) {
      if (field.getType() instanceof ArrowType.Timestamp) {
        fields.add(
            new Field(
                field.getName(),
                new FieldType(
                    field.isNullable(), new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"), null),
                null));
      } else {
        fields.add(field);
      }
    }
    return new Schema(fields);
  }
}

package ml.bqx.core.port;

import java.io.IOException;
import java.util.List;
import ml.bqx.core.pair.Pair;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/** The feature warehouse (BigQuery, or an embedded DuckDB file with the same layout). */
public interface Warehouse extends AutoCloseable {
  /** Every table of the dataset whose name holds the pair, found by INFORMATION_SCHEMA. */
  List<WarehouseTable> discover(Pair pair) throws IOException;

  /**
   * The size of every base table {@link #discover} finds for the pair, from the warehouse's own
   * statistics (nothing is read or written): what a dry run prices.
   */
  List<TableSize> sizes(Pair pair) throws IOException;

  /**
   * The table's snapshot now: taken before a read, so a change during the read shows as a change at
   * the next run, never as an unchanged table.
   */
  TableSnapshot snapshot(WarehouseTable table) throws IOException;

  /** Reads a whole table as Arrow batches; the caller closes the reader. */
  ArrowReader read(WarehouseTable table, BufferAllocator allocator) throws IOException;

  @Override
  void close();
}

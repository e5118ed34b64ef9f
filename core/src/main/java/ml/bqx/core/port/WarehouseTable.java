package ml.bqx.core.port;

import java.util.List;

/**
 * One table of the features dataset, as INFORMATION_SCHEMA describes it.
 *
 * @param columns every column, the key {@code interval_time} included, in table order
 */
public record WarehouseTable(String dataset, String name, List<WarehouseColumn> columns) {
  public WarehouseTable {
    columns = List.copyOf(columns);
  }
}

package ml.bqx.core.port;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the rows of a discovery query (INFORMATION_SCHEMA.COLUMNS joined with TABLES, in table
 * and ordinal order) into tables, by the rule every warehouse adapter shares: only base tables.
 * INFORMATION_SCHEMA lists views too, and the Storage Read API reads tables only.
 */
public final class WarehouseCatalog {
  /** INFORMATION_SCHEMA.TABLES' table_type of a table (BigQuery and DuckDB alike). */
  private static final String BASE_TABLE = "BASE TABLE";

  private final String dataset;
  private final Map<String, List<WarehouseColumn>> tables = new LinkedHashMap<>();

  public WarehouseCatalog(String dataset) {
    this.dataset = dataset;
  }

  /** One row of the query; rows of anything but a base table are left out. */
  public void add(String tableName, String tableType, String columnName, String dataType) {
    if (BASE_TABLE.equals(tableType)) {
      tables
          .computeIfAbsent(tableName, name -> new ArrayList<>())
          .add(new WarehouseColumn(columnName, dataType));
    }
  }

  /** The base tables seen, in the order of their first row. */
  public List<WarehouseTable> tables() {
    List<WarehouseTable> found = new ArrayList<>();
    tables.forEach((name, columns) -> found.add(new WarehouseTable(dataset, name, columns)));
    return found;
  }
}

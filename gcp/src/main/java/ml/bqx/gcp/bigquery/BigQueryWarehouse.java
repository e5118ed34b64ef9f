package ml.bqx.gcp.bigquery;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.QueryJobConfiguration;
import com.google.cloud.bigquery.QueryParameterValue;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import com.google.cloud.bigquery.storage.v1.BigQueryReadClient;
import com.google.cloud.bigquery.storage.v1.CreateReadSessionRequest;
import com.google.cloud.bigquery.storage.v1.DataFormat;
import com.google.cloud.bigquery.storage.v1.ReadSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.TableSize;
import ml.bqx.core.port.TableSnapshot;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseCatalog;
import ml.bqx.core.port.WarehouseColumn;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.core.port.WarehouseTable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * The feature warehouse on BigQuery: base tables found with one INFORMATION_SCHEMA query (COLUMNS
 * joined with TABLES for the table type), read whole with the Storage Read API in Arrow format.
 */
public final class BigQueryWarehouse implements Warehouse {
  private final String project;
  private final String dataset;
  private final BigQuery bigQuery;
  private final BigQueryReadClient readClient;

  /** The dataset {@code project.dataset}, queried with this client and read with that one. */
  public BigQueryWarehouse(
      String project, String dataset, BigQuery bigQuery, BigQueryReadClient readClient) {
    this.project = BigQueryTables.project(project);
    this.dataset = BigQueryTables.dataset(dataset);
    this.bigQuery = bigQuery;
    this.readClient = readClient;
  }

  @Override
  public List<WarehouseTable> discover(Pair pair) throws IOException {
    // Project and dataset are checked identifiers; the pair still goes in as a parameter.
    String schema = "`" + project + "." + dataset + ".INFORMATION_SCHEMA.";
    String sql =
        "SELECT c.table_name, c.column_name, c.data_type, t.table_type FROM "
            + schema
            + "COLUMNS` AS c JOIN "
            + schema
            + "TABLES` AS t ON t.table_name = c.table_name"
            + " WHERE c.table_name LIKE @pattern"
            + " ORDER BY c.table_name, c.ordinal_position";
    TableResult result = query(sql, pair, "list");
    WarehouseCatalog catalog = new WarehouseCatalog(dataset);
    for (FieldValueList row : result.iterateAll()) {
      catalog.add(
          row.get("table_name").getStringValue(),
          row.get("table_type").getStringValue(),
          row.get("column_name").getStringValue(),
          row.get("data_type").getStringValue());
    }
    return catalog.tables();
  }

  /**
   * From the dataset's {@code __TABLES__} meta-table: a row per table with {@code row_count} and
   * {@code size_bytes} (logical bytes), {@code type} 1 for a table (2 a view, 3 external). Nothing
   * is scanned: a metadata query processes no bytes.
   */
  @Override
  public List<TableSize> sizes(Pair pair) throws IOException {
    String sql =
        "SELECT table_id, row_count, size_bytes FROM `"
            + project
            + "."
            + dataset
            + ".__TABLES__` WHERE type = 1 AND table_id LIKE @pattern ORDER BY table_id";
    List<TableSize> sizes = new ArrayList<>();
    for (FieldValueList row : query(sql, pair, "size").iterateAll()) {
      sizes.add(
          new TableSize(
              row.get("table_id").getStringValue(),
              row.get("row_count").getLongValue(),
              row.get("size_bytes").getLongValue()));
    }
    return sizes;
  }

  /** Runs standard SQL with the pair's table-name pattern as {@code @pattern}. */
  private TableResult query(String sql, Pair pair, String what) throws IOException {
    QueryJobConfiguration query =
        QueryJobConfiguration.newBuilder(sql)
            .setUseLegacySql(false)
            .addNamedParameter(
                "pattern", QueryParameterValue.string(WarehouseLayout.tableNamePattern(pair)))
            .build();
    try {
      return bigQuery.query(query);
    } catch (BigQueryException e) {
      throw new IOException(
          "cannot " + what + " the tables of " + project + "." + dataset + ": " + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted listing the tables of " + project + "." + dataset, e);
    }
  }

  /**
   * tables.get: its default view carries {@code lastModifiedTime}, {@code numRows} and the schema
   * (cloud.google.com/bigquery/docs/reference/rest/v2/tables/get), one small request per table.
   */
  @Override
  public TableSnapshot snapshot(WarehouseTable table) throws IOException {
    Table found;
    try {
      found = bigQuery.getTable(TableId.of(project, table.dataset(), table.name()));
    } catch (BigQueryException e) {
      throw new IOException(
          "cannot get table "
              + table.name()
              + " of "
              + project
              + "."
              + dataset
              + ": "
              + e.getMessage(),
          e);
    }
    if (found == null) { // the client answers a 404 with null
      throw new IOException(
          "table " + table.name() + " of " + project + "." + dataset + " is gone since discovery");
    }
    List<WarehouseColumn> columns = new ArrayList<>();
    Schema schema = found.getDefinition().getSchema();
    if (schema != null) {
      for (Field field : schema.getFields()) {
        String type = field.getType().name();
        if (field.getPrecision() != null) {
          type += "(" + field.getPrecision() + ", " + field.getScale() + ")";
        }
        columns.add(new WarehouseColumn(field.getName(), type));
      }
    }
    return new TableSnapshot(
        String.valueOf(found.getLastModifiedTime()),
        found.getNumRows() == null ? -1 : found.getNumRows().longValueExact(),
        TableSnapshot.schemaHash(columns));
  }

  @Override
  public ArrowReader read(WarehouseTable table, BufferAllocator allocator) throws IOException {
    String tablePath =
        "projects/" + project + "/datasets/" + table.dataset() + "/tables/" + table.name();
    CreateReadSessionRequest request =
        CreateReadSessionRequest.newBuilder()
            .setParent("projects/" + project)
            .setReadSession(
                ReadSession.newBuilder().setTable(tablePath).setDataFormat(DataFormat.ARROW))
            .setMaxStreamCount(0)
            .build();
    try {
      return new StorageReadArrowReader(
          readClient, readClient.createReadSession(request), allocator);
    } catch (ApiException e) {
      throw new IOException(
          "cannot open a read session on "
              + tablePath
              + ": "
              + e.getStatusCode().getCode()
              + " "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    readClient.close();
  }
}

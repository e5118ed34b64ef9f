package ml.bqx.gcp.bigquery;

import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.storage.v1.BigQueryReadClient;
import java.io.IOException;
import java.net.URI;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseProvider;

/** Opens {@link BigQueryWarehouse} for {@code bigquery://PROJECT/DATASET}. */
public final class BigQueryWarehouseProvider implements WarehouseProvider {
  @Override
  public String scheme() {
    return BigQueryTables.SCHEME;
  }

  @Override
  public Warehouse open(URI uri, BqxConfig config) throws IOException {
    String[] projectAndDataset = BigQueryTables.projectAndDataset(uri);
    String project = projectAndDataset[0];
    return new BigQueryWarehouse(
        project,
        projectAndDataset[1],
        BigQueryOptions.newBuilder().setProjectId(project).build().getService(),
        BigQueryReadClient.create());
  }
}

package ml.bqx.local.warehouse;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.ConfigException;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseProvider;

/**
 * Opens {@code duckdb:///abs/path/warehouse.duckdb[?memory_limit=1GB&threads=4]} as the embedded
 * warehouse.
 */
public final class DuckDbWarehouseProvider implements WarehouseProvider {
  @Override
  public String scheme() {
    return "duckdb";
  }

  @Override
  public Warehouse open(URI uri, BqxConfig config) throws IOException {
    return DuckDbWarehouse.open(path(uri), DuckDbLimits.of(uri));
  }

  /** The file of a {@code duckdb:///abs/path} URI. */
  private static Path path(URI uri) {
    String path = uri.getPath();
    if (path == null || !path.startsWith("/") || uri.getAuthority() != null) {
      throw new ConfigException(
          "'"
              + uri
              + "' is not a DuckDB warehouse URI: use duckdb:///absolute/path/warehouse.duckdb");
    }
    return Path.of(path);
  }
}

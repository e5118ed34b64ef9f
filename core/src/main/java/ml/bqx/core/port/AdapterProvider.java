package ml.bqx.core.port;

import java.io.IOException;
import java.net.URI;
import ml.bqx.core.config.BqxConfig;

/**
 * Opens an adapter for the URIs of one scheme, found with {@link java.util.ServiceLoader} as JDBC
 * drivers are: the same code runs in the cloud and locally, with different jars on the class path.
 *
 * @param <T> the port the adapter implements
 */
public interface AdapterProvider<T> {
  /** The URI scheme this provider answers, e.g. {@code gs}, {@code file}, {@code duckdb}. */
  String scheme();

  /** Opens an adapter for this URI. */
  T open(URI uri, BqxConfig config) throws IOException;
}

package ml.bqx.core.port;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.ConfigException;

/** Opens the adapter of a URI's scheme among those on the class path. */
public final class Adapters {
  private Adapters() {}

  public static ObjectStore objectStore(URI uri, BqxConfig config) throws IOException {
    return open(ObjectStoreProvider.class, "object store", uri, config);
  }

  public static Warehouse warehouse(URI uri, BqxConfig config) throws IOException {
    return open(WarehouseProvider.class, "warehouse", uri, config);
  }

  public static JobLauncher jobLauncher(URI uri, BqxConfig config) throws IOException {
    return open(JobLauncherProvider.class, "job launcher", uri, config);
  }

  public static EventPublisher eventPublisher(URI uri, BqxConfig config) throws IOException {
    return open(EventPublisherProvider.class, "event publisher", uri, config);
  }

  private static <T, P extends AdapterProvider<T>> T open(
      Class<P> type, String what, URI uri, BqxConfig config) throws IOException {
    List<String> known = new ArrayList<>();
    for (P provider : ServiceLoader.load(type)) {
      if (provider.scheme().equalsIgnoreCase(uri.getScheme())) {
        return provider.open(uri, config);
      }
      known.add(provider.scheme() + "://");
    }
    throw new ConfigException(
        "no "
            + what
            + " for '"
            + uri
            + "': this build knows "
            + (known.isEmpty() ? "none" : String.join(", ", known)));
  }
}

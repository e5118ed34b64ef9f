package ml.bqx.core.port;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.ConfigException;

/** Opens the adapter of a URI's scheme among those on the class path. */
public final class Adapters {
  private static final int MAX_UNLOADABLE_PROVIDERS = 100;

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
    Set<String> known = new LinkedHashSet<>();
    for (ClassLoader loader : loaders(type)) {
      Iterator<P> providers = ServiceLoader.load(type, loader).iterator();
      while (hasNext(providers)) {
        P provider;
        try {
          provider = providers.next();
        } catch (ServiceConfigurationError otherCopy) {
          continue; // a provider of another copy of the port (another loader's core): not ours
        }
        if (provider.scheme().equalsIgnoreCase(uri.getScheme())) {
          return provider.open(uri, config);
        }
        known.add(provider.scheme() + "://");
      }
    }
    throw new ConfigException(
        "no "
            + what
            + " for '"
            + uri
            + "': this build knows "
            + (known.isEmpty() ? "none" : String.join(", ", known)));
  }

  /**
   * Where providers are looked for: first the loader of the port itself, which loaded this code and
   * so sees the adapters deployed beside it (under the Functions Framework's invoker, the
   * function's own loader, whatever the thread's context loader is), then the thread's context
   * loader (an application server or a plug-in host that adds adapters there).
   */
  private static List<ClassLoader> loaders(Class<?> type) {
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(type.getClassLoader());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != type.getClassLoader()) {
      loaders.add(context);
    }
    return loaders;
  }

  /** Skips listed providers this loader cannot load (a bounded number: the errors may repeat). */
  private static boolean hasNext(Iterator<?> providers) {
    for (int skipped = 0; skipped < MAX_UNLOADABLE_PROVIDERS; skipped++) {
      try {
        return providers.hasNext();
      } catch (ServiceConfigurationError unloadable) {
        // Look at the next one.
      }
    }
    return false;
  }
}

package ml.bqx.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.ObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adapters are found by the loader that holds the ports and the adapters beside them, not only by
 * the thread's context loader: under the Functions Framework's invoker the function has a loader of
 * its own, and a thread whose context loader is another one (the invoker's, a library's pool) must
 * still find {@code file://}.
 */
class AdapterLookupTest {
  @TempDir Path dir;

  @Test
  void objectStore_isFound_whenTheThreadsContextLoaderCannotSeeTheAdapters() throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    try (URLClassLoader blind =
        new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
      thread.setContextClassLoader(blind);

      ObjectStore store = Adapters.objectStore(dir.toUri(), BqxConfig.from(Map.of()));

      assertThat(store).isInstanceOf(FolderObjectStore.class);
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @Test
  void unknownScheme_namesTheSchemesThisBuildKnows_once() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ml.bqx.core.config.ConfigException.class,
            () -> Adapters.objectStore(URI.create("s3://bucket/x"), BqxConfig.from(Map.of())));
    assertThat(e.getMessage()).startsWith("no object store for 's3://bucket/x': this build knows ");
    assertThat(e.getMessage().split("file://", -1)).as("file:// listed once").hasSize(2);
  }
}

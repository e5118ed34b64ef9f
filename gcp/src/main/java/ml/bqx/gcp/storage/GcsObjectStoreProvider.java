package ml.bqx.gcp.storage;

import com.google.cloud.storage.StorageOptions;
import java.net.URI;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectStoreProvider;

/** Opens {@link GcsObjectStore} for {@code gs://bucket[/prefix]} with application credentials. */
public final class GcsObjectStoreProvider implements ObjectStoreProvider {
  @Override
  public String scheme() {
    return GcsUris.SCHEME;
  }

  @Override
  public ObjectStore open(URI uri, BqxConfig config) {
    GcsUris.bucket(uri);
    StorageOptions.Builder options = StorageOptions.newBuilder();
    String project = config.get(EnvKey.BQX_PROJECT);
    if (!project.isBlank()) {
      options.setProjectId(project);
    }
    return new GcsObjectStore(options.build().getService());
  }
}

package ml.bqx.local.store;

import java.net.URI;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectStoreProvider;

/** Answers {@code file://} URIs with the local-folder object store. */
public final class FolderObjectStoreProvider implements ObjectStoreProvider {
  @Override
  public String scheme() {
    return "file";
  }

  @Override
  public ObjectStore open(URI uri, BqxConfig config) {
    return new FolderObjectStore();
  }
}

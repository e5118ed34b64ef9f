package ml.bqx.local.store;

import java.net.URI;
import java.nio.file.Path;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectStoreContract;
import org.junit.jupiter.api.io.TempDir;

/** The object store contract on a local folder. */
class FolderObjectStoreContractTest extends ObjectStoreContract {
  @TempDir Path dir;
  private final ObjectStore store = new FolderObjectStore();

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected URI root() {
    return dir.toUri();
  }
}

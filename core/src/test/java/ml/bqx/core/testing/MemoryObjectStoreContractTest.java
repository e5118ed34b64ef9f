package ml.bqx.core.testing;

import java.net.URI;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectStoreContract;

/** The object store contract in memory: the store core's tests run on keeps the real ones' word. */
class MemoryObjectStoreContractTest extends ObjectStoreContract {
  private final ObjectStore store = new MemoryObjectStore();

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected URI root() {
    return URI.create("mem://bucket/contract/");
  }
}

package ml.bqx.gcp.storage;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.net.URI;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectStoreContract;

/**
 * The object store contract on GCS, through google-cloud-nio's LocalStorageHelper. That double
 * registers an object when its upload session opens (GCS only when it finalizes), so upload
 * invisibility is proven over an existing object in GcsObjectStoreTest; GcsWireTest covers GCS's
 * own answers (412, the CRC32C GCS reports) and GcsRateLimitTest GCS's rate limit and listing by
 * glob.
 */
class GcsObjectStoreContractTest extends ObjectStoreContract {
  private final ObjectStore store =
      new GcsObjectStore(LocalStorageHelper.customOptions(false).getService());

  @Override
  protected ObjectStore store() {
    return store;
  }

  @Override
  protected URI root() {
    return URI.create("gs://bucket/test");
  }

  @Override
  protected boolean emulatesUploadSessions() {
    return false;
  }

  /** LocalStorageHelper refuses matchGlob; GcsRateLimitTest lists by glob on a loopback fake. */
  @Override
  protected boolean listsWithGlob() {
    return false;
  }
}

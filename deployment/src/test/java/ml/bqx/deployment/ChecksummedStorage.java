package ml.bqx.deployment;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import ml.bqx.core.port.Crc32c;

/**
 * LocalStorageHelper with the one thing GCS always does and the double does not: every object
 * carries its CRC32C ("Cloud Storage calculates a CRC32C hash for every object",
 * https://cloud.google.com/storage/docs/data-validation). Objects it returns without one get it.
 */
final class ChecksummedStorage {
  private ChecksummedStorage() {}

  static Storage of(Storage delegate) {
    return (Storage)
        Proxy.newProxyInstance(
            Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (result instanceof Blob blob && blob.getCrc32c() == null) {
                byte[] content = delegate.readAllBytes(blob.getBlobId());
                return blob.toBuilder().setCrc32c(Crc32c.of(content)).build();
              }
              return result;
            });
  }
}

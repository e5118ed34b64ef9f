package ml.bqx.deployment;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.ComposeRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.Locale;
import ml.bqx.core.port.Crc32c;

/**
 * LocalStorageHelper with the one thing GCS always does and the double does not: every object
 * carries its CRC32C ("Cloud Storage calculates a CRC32C hash for every object",
 * https://cloud.google.com/storage/docs/data-validation). Objects it returns without one get it.
 * And a list's {@code matchGlob} is taken off before LocalStorageHelper sees it (it refuses the
 * option: "Unknown option: MATCH_GLOB"); the GCS adapter checks the glob again on what comes back,
 * so the listing is the same (the glob itself is proven on the loopback FakeGcsServer). A compose,
 * which LocalStorageHelper answers with null, makes the concatenation of its sources in their order
 * as a new object ("a concatenation of the source objects in the order they were specified in the
 * request", https://cloud.google.com/storage/docs/composing-objects).
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
                result =
                    method.getName().equals("compose")
                        ? compose(delegate, (ComposeRequest) args[0])
                        : method.invoke(delegate, withoutMatchGlob(method.getName(), args));
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

  private static Blob compose(Storage delegate, ComposeRequest request) throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    String bucket = request.getTarget().getBucket();
    for (ComposeRequest.SourceBlob source : request.getSourceBlobs()) {
      content.write(
          delegate.readAllBytes(BlobId.of(bucket, source.getName(), source.getGeneration())));
    }
    return delegate.create(request.getTarget(), content.toByteArray());
  }

  private static Object[] withoutMatchGlob(String method, Object[] args) {
    if (!method.equals("list") || args == null || !(args[args.length - 1] instanceof Object[])) {
      return args;
    }
    Object[] copy = args.clone();
    copy[copy.length - 1] =
        Arrays.stream((Object[]) args[args.length - 1])
            .filter(o -> !(o instanceof BlobListOption option && isMatchGlob(option)))
            .toArray(BlobListOption[]::new);
    return copy;
  }

  private static boolean isMatchGlob(BlobListOption option) {
    return option.toString().toLowerCase(Locale.ROOT).contains("matchglob")
        || option.toString().contains("MATCH_GLOB");
  }
}

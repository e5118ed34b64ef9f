package ml.bqx.gcp.storage;

import com.google.cloud.storage.BlobId;
import java.net.URI;

/** Converts between {@code gs://bucket/key} URIs and GCS blob ids. */
final class GcsUris {
  static final String SCHEME = "gs";

  private GcsUris() {}

  /** The blob an object URI names; refuses other schemes and a missing bucket or key. */
  static BlobId blobId(URI uri) {
    String key = key(uri);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("'" + uri + "' names no object: expected gs://bucket/key");
    }
    return BlobId.of(bucket(uri), key);
  }

  /** The bucket of a {@code gs://} URI. */
  static String bucket(URI uri) {
    if (!SCHEME.equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("'" + uri + "' is not a gs:// URI");
    }
    String bucket = uri.getAuthority();
    if (bucket == null || bucket.isBlank()) {
      throw new IllegalArgumentException("'" + uri + "' names no bucket: expected gs://bucket/key");
    }
    return bucket;
  }

  /** The key (object name) of a {@code gs://} URI, without its leading slash; may be empty. */
  static String key(URI uri) {
    bucket(uri);
    String path = uri.getPath() == null ? "" : uri.getPath();
    return path.startsWith("/") ? path.substring(1) : path;
  }

  static URI uri(String bucket, String name) {
    return URI.create(SCHEME + "://" + bucket + "/" + name);
  }
}

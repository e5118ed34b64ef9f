package ml.bqx.core.port;

import java.net.URI;

/**
 * Builds object URIs under a store root such as {@code gs://bucket/prefix} or {@code file:///d}.
 */
public final class StoreUris {
  private StoreUris() {}

  /** The root with a relative key appended, with exactly one slash between them. */
  public static URI resolve(URI root, String key) {
    String base = root.toString();
    String joined = base.endsWith("/") ? base + key : base + "/" + key;
    return URI.create(joined);
  }
}

package ml.bqx.local.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * The files of one object: its content and the hidden meta, pending meta, lock and staging files
 * beside it.
 */
record ObjectPaths(Path content) {
  static ObjectPaths of(URI uri) throws IOException {
    Path content = pathOf(uri);
    // The meta, lock and staging files beside an object are named ".<name>...": an object whose
    // own name starts with a dot could collide with them. Folders may (e.g. a workdir ".bqx").
    if (content.getFileName().toString().startsWith(".")) {
      throw new IllegalArgumentException(
          "'" + uri + "' is not a valid object name: its name may not start with '.'");
    }
    if (uri.getPath().endsWith("/")) {
      throw new IllegalArgumentException("'" + uri + "' names a folder, not an object");
    }
    return new ObjectPaths(content);
  }

  static Path pathOf(URI uri) {
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("'" + uri + "' is not a file:// URI");
    }
    return Path.of(uri).toAbsolutePath().normalize();
  }

  /** The deepest existing folder a prefix can match under. */
  static Path listingRoot(URI prefix) {
    Path path = pathOf(prefix);
    return prefix.getPath().endsWith("/") ? path : path.getParent();
  }

  static boolean isHidden(Path file) {
    return file.getFileName().toString().startsWith(".");
  }

  Path meta() {
    return content.resolveSibling("." + content.getFileName() + ".meta");
  }

  /** The meta of a commit under way: there only while a commit runs, or after one was killed. */
  Path pendingMeta() {
    return content.resolveSibling("." + content.getFileName() + ".pending");
  }

  Path lock() {
    return content.resolveSibling("." + content.getFileName() + ".lock");
  }

  Path newStagingFile() {
    return content.resolveSibling(
        FolderObjectStore.newStagingName(content.getFileName().toString()));
  }
}

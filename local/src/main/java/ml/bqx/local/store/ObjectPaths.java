package ml.bqx.local.store;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of one object: its content and the hidden meta, pending meta, lock and staging files
 * beside it.
 */
record ObjectPaths(Path content) {
  /** What a file beside an object is to the store. */
  enum Beside {
    META(".meta"),
    PENDING_META(".pending"),
    LOCK(".lock"),
    UPLOAD_PART(".staging-"),
    NONE("");

    private final String marker;

    Beside(String marker) {
      this.marker = marker;
    }
  }

  private static final Pattern BESIDE =
      Pattern.compile("\\.(.+)(\\.meta|\\.pending|\\.lock|\\.staging-[0-9a-f-]{36})");

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

  /** Which of the store's own files this is, from its name; NONE for an object or a stranger. */
  static Beside besideKind(Path file) {
    Matcher name = BESIDE.matcher(file.getFileName().toString());
    if (!name.matches()) {
      return Beside.NONE;
    }
    String suffix = name.group(2);
    for (Beside kind : Beside.values()) {
      if (kind != Beside.NONE && suffix.startsWith(kind.marker)) {
        return kind;
      }
    }
    return Beside.NONE;
  }

  /** The object a file of {@link #besideKind} other than NONE is kept for. */
  static Path contentOf(Path beside) {
    Matcher name = BESIDE.matcher(beside.getFileName().toString());
    if (!name.matches()) {
      throw new IllegalArgumentException(beside + " is kept beside no object");
    }
    return beside.resolveSibling(name.group(1));
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

package ml.bqx.core.port;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Objects addressed by URI ({@code gs://bucket/key}, {@code file:///dir/key}). The run ledger,
 * checkpoints, staging files and training files all live here; the same semantics hold on every
 * adapter: atomic visibility, a generation per object, conditional writes.
 */
public interface ObjectStore {
  /** The object's size, generation and CRC32C; empty if it does not exist. */
  Optional<ObjectInfo> stat(URI uri) throws IOException;

  /** A small object read whole, with its generation; empty if it does not exist. */
  Optional<StoredObject> read(URI uri) throws IOException;

  /**
   * Writes a small object whole.
   *
   * @throws PreconditionFailedException if the precondition does not hold
   */
  ObjectInfo write(URI uri, byte[] content, WritePrecondition precondition) throws IOException;

  /** Streams a large object in; visible only after {@link ObjectUpload#finish}. */
  ObjectUpload upload(URI uri) throws IOException;

  /** Streams an object out from its start. */
  InputStream open(URI uri) throws IOException;

  /**
   * Reads {@code length} bytes at {@code offset} without reading the rest (a footer read). Fewer
   * bytes come back only at the end of the object.
   */
  byte[] readRange(URI uri, long offset, int length) throws IOException;

  /**
   * Reads up to {@code length} bytes at {@code offset} into a caller's buffer, so that a stream
   * over a large object reuses one window instead of allocating one per read. Returns how many
   * bytes were read: fewer only at the end of the object. Stores that can read in place override
   * this.
   */
  default int readRange(URI uri, long offset, byte[] into, int at, int length) throws IOException {
    byte[] read = readRange(uri, offset, length);
    System.arraycopy(read, 0, into, at, read.length);
    return read.length;
  }

  /**
   * Reads up to {@code length} bytes at {@code offset} of an object whose size the caller already
   * knows (from a listing, a stat, a checkpoint's record), into a caller's buffer: one ranged
   * request, no metadata request. On GCS a metadata request costs as much as the read, so code that
   * reads many ranges of one object (the merge, a footer) calls this. Returns how many bytes were
   * read: fewer only where the object ends before {@code size} says it does.
   */
  int readKnownRange(URI uri, long size, long offset, byte[] into, int at, int length)
      throws IOException;

  /**
   * Copies an object inside the store (server-side on GCS), atomically.
   *
   * @throws PreconditionFailedException if the target's precondition does not hold
   */
  ObjectInfo copy(URI source, URI target, WritePrecondition targetPrecondition) throws IOException;

  /** Deletes an object; false if there was none. */
  boolean delete(URI uri) throws IOException;

  /** Every object whose URI starts with the prefix, sorted by URI. */
  List<ObjectInfo> list(URI prefix) throws IOException;

  /**
   * The objects under a folder-like prefix whose key after the prefix matches the glob (e.g. every
   * run's ledger.json one level under runs/), sorted by URI. The store filters (GCS's {@code
   * matchGlob}): the others are never sent.
   */
  List<ObjectInfo> list(URI prefix, ObjectGlob glob) throws IOException;

  /**
   * Deletes every object under a folder-like prefix (ending in "/"), and whatever the store keeps
   * beside them there; returns the objects deleted. On GCS that is each object (an upload that
   * never finished is no object); a store with folders also removes what it kept beside the objects
   * and the folders left empty, so that nothing stays behind.
   */
  default int deleteAll(URI folder) throws IOException {
    if (!folder.getPath().endsWith("/")) {
      throw new IllegalArgumentException("'" + folder + "' is not a folder: it must end in '/'");
    }
    int deleted = 0;
    for (ObjectInfo object : list(folder)) {
      if (delete(object.uri())) {
        deleted++;
      }
    }
    return deleted;
  }

  /**
   * How a compare-and-swap on one of this store's objects backs off: by default as GCS can bear,
   * {@link ContentionBackoff#ONE_WRITE_A_SECOND}.
   */
  default ContentionBackoff contentionBackoff() {
    return ContentionBackoff.ONE_WRITE_A_SECOND;
  }

  /**
   * Whether an object's generation fixes its bytes: a stat showing the size, generation and CRC32C
   * a writer recorded then proves the bytes are the ones written, without reading them again. False
   * by default, as for a folder, whose files can change in place under the same name.
   */
  default boolean generationFixesContent() {
    return false;
  }
}

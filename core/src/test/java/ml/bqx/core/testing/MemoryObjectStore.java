package ml.bqx.core.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import ml.bqx.core.port.ContentionBackoff;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.ObjectGlob;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.WritePrecondition;

/**
 * The object store in memory, for tests of core logic, with the semantics the real stores keep (it
 * passes the same {@code ObjectStoreContract}), which are GCS's: every write of an object gets a
 * generation no version had before, and a write conditional on generation 0 succeeds only if the
 * object does not exist (cloud.google.com/storage/docs/generations-preconditions, /docs/request
 * -preconditions); an upload is invisible until it is finished, like a resumable upload's finalize;
 * CRC32C is reported as base64 of the big-endian value (/docs/hashes-etags); a listing filters by
 * {@code matchGlob} on the name after the prefix (/docs/json_api/v1/objects/list). One lock over
 * all objects makes every call atomic, across threads.
 */
public final class MemoryObjectStore implements ObjectStore {
  /**
   * A lost race costs nothing here: back off from 1 ms to 50 ms, so that racing threads spread out
   * without slowing a test.
   */
  public static final ContentionBackoff CHEAP_RACES =
      new ContentionBackoff(Duration.ofMillis(1), Duration.ofMillis(50), 400);

  /** One version of an object. */
  private record Version(byte[] content, long generation, String crc32c) {
    ObjectInfo info(String uri) {
      return new ObjectInfo(URI.create(uri), content.length, generation, crc32c);
    }
  }

  private final NavigableMap<String, Version> objects = new TreeMap<>();
  private final ContentionBackoff backoff;
  private long lastGeneration;

  public MemoryObjectStore() {
    this(CHEAP_RACES);
  }

  /** A store whose compare-and-swap callers back off as {@code backoff} says. */
  public MemoryObjectStore(ContentionBackoff backoff) {
    this.backoff = backoff;
  }

  @Override
  public synchronized Optional<ObjectInfo> stat(URI uri) {
    return current(uri).map(v -> v.info(uri.toString()));
  }

  @Override
  public synchronized Optional<StoredObject> read(URI uri) {
    return current(uri).map(v -> new StoredObject(v.content(), v.info(uri.toString())));
  }

  @Override
  public synchronized ObjectInfo write(URI uri, byte[] content, WritePrecondition precondition) {
    return commit(uri, content.clone(), precondition);
  }

  @Override
  public ObjectUpload upload(URI uri) {
    return new MemoryUpload(uri);
  }

  @Override
  public synchronized InputStream open(URI uri) throws IOException {
    return new ByteArrayInputStream(existing(uri).content());
  }

  @Override
  public synchronized byte[] readRange(URI uri, long offset, int length) throws IOException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + uri);
    }
    byte[] content = existing(uri).content();
    int from = (int) Math.min(offset, content.length);
    return Arrays.copyOfRange(content, from, (int) Math.min((long) from + length, content.length));
  }

  @Override
  public synchronized int readKnownRange(
      URI uri, long size, long offset, byte[] into, int at, int length) throws IOException {
    byte[] read = readRange(uri, offset, (int) Math.max(0, Math.min(length, size - offset)));
    System.arraycopy(read, 0, into, at, read.length);
    return read.length;
  }

  @Override
  public synchronized ObjectInfo copy(URI source, URI target, WritePrecondition targetPrecondition)
      throws IOException {
    return commit(target, existing(source).content(), targetPrecondition);
  }

  @Override
  public synchronized boolean delete(URI uri) {
    return objects.remove(uri.toString()) != null;
  }

  @Override
  public synchronized List<ObjectInfo> list(URI prefix) {
    return list(prefix, null);
  }

  @Override
  public synchronized List<ObjectInfo> list(URI prefix, ObjectGlob glob) {
    String start = prefix.toString();
    List<ObjectInfo> found = new ArrayList<>();
    // A TreeMap keeps the names sorted: the listing comes out sorted by URI.
    for (Map.Entry<String, Version> object : objects.tailMap(start).entrySet()) {
      String name = object.getKey();
      if (!name.startsWith(start)) {
        break;
      }
      if (glob == null || glob.matches(name.substring(start.length()))) {
        found.add(object.getValue().info(name));
      }
    }
    return found;
  }

  @Override
  public ContentionBackoff contentionBackoff() {
    return backoff;
  }

  private Optional<Version> current(URI uri) {
    return Optional.ofNullable(objects.get(uri.toString()));
  }

  private Version existing(URI uri) throws NoSuchFileException {
    return current(uri)
        .orElseThrow(() -> new NoSuchFileException(uri.toString(), null, "no such object"));
  }

  /** The one place an object changes: the precondition checked and the version set at once. */
  private synchronized ObjectInfo commit(URI uri, byte[] content, WritePrecondition condition) {
    Optional<Version> now = current(uri);
    if (condition instanceof WritePrecondition.DoesNotExist && now.isPresent()) {
      throw new PreconditionFailedException(uri + " already exists");
    }
    if (condition instanceof WritePrecondition.GenerationMatches match) {
      long actual = now.map(Version::generation).orElse(0L);
      if (actual != match.generation()) {
        throw new PreconditionFailedException(
            uri + " is at generation " + actual + ", not " + match.generation());
      }
    }
    Version next = new Version(content, ++lastGeneration, Crc32c.of(content));
    objects.put(uri.toString(), next);
    return next.info(uri.toString());
  }

  /** Bytes kept aside until {@link #finish}; closing first drops them. */
  private final class MemoryUpload extends ObjectUpload {
    private final URI uri;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CRC32C crc = new CRC32C();
    private boolean open = true;

    MemoryUpload(URI uri) {
      this.uri = uri;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (!open) {
        throw new IOException("the upload of " + uri + " is closed");
      }
      bytes.write(b, off, len);
      crc.update(b, off, len);
    }

    @Override
    public String crc32cSoFar() {
      return Crc32c.toBase64(crc.getValue());
    }

    @Override
    public ObjectInfo finish() throws IOException {
      if (!open) {
        throw new IOException("the upload of " + uri + " is closed");
      }
      open = false;
      return commit(uri, bytes.toByteArray(), WritePrecondition.none());
    }

    @Override
    public void close() {
      open = false;
    }
  }
}

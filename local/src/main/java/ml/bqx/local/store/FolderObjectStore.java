package ml.bqx.local.store;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import ml.bqx.core.port.ContentionBackoff;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.DamagedObjectException;
import ml.bqx.core.port.ObjectGlob;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.WritePrecondition;

/**
 * The object store on a local folder ({@code file:///dir/key}), with the semantics of GCS: an
 * object appears whole or not at all (written beside its target, then renamed), and every object
 * has a generation that conditional writes compare, safely across threads and processes.
 *
 * <p>Beside each object {@code name} live two hidden files: {@code .name.meta} (generation, size,
 * CRC32C) and {@code .name.lock} (the lock that makes compare-and-swap atomic); {@code
 * .name.pending} is there only while a commit runs. Names starting with a dot are therefore refused
 * as keys and never listed.
 *
 * <p>GCS cannot hold an object whose content disagrees with its metadata; a folder can, when
 * something outside the store deletes a meta file or cuts a file short. Such an object is damaged:
 * reads and writes are refused with one line naming it ({@link
 * ml.bqx.core.port.DamagedObjectException}) and it is never written over; only a delete removes it.
 */
public final class FolderObjectStore implements ObjectStore {
  /**
   * Called with each entry a listing meets, just before it looks at it: where a listing races the
   * writers and cleaners beside it, so a test's seam.
   */
  @FunctionalInterface
  interface ListingProbe {
    void meet(Path entry) throws IOException;
  }

  private final ObjectLocks locks = new ObjectLocks();
  private final ListingProbe probe;

  public FolderObjectStore() {
    this(entry -> {});
  }

  FolderObjectStore(ListingProbe probe) {
    this.probe = probe;
  }

  @Override
  public Optional<ObjectInfo> stat(URI uri) throws IOException {
    ObjectPaths paths = ObjectPaths.of(uri);
    if (isAbsent(paths)) {
      return Optional.empty();
    }
    try (ObjectLocks.Held held = locks.lock(paths)) {
      return ObjectMeta.read(uri, paths).map(meta -> meta.info(uri));
    }
  }

  @Override
  public Optional<StoredObject> read(URI uri) throws IOException {
    ObjectPaths paths = ObjectPaths.of(uri);
    if (isAbsent(paths)) {
      return Optional.empty();
    }
    try (ObjectLocks.Held held = locks.lock(paths)) {
      Optional<ObjectMeta> meta = ObjectMeta.read(uri, paths);
      if (meta.isEmpty()) {
        return Optional.empty();
      }
      byte[] content = Files.readAllBytes(paths.content());
      String crc32c = Crc32c.of(content);
      if (!crc32c.equals(meta.get().crc32c())) {
        throw ObjectMeta.damaged(uri, "stored CRC32C " + meta.get().crc32c() + ", found " + crc32c);
      }
      return Optional.of(new StoredObject(content, meta.get().info(uri)));
    }
  }

  /**
   * Neither content nor meta: no object, and nothing to lock. Content without its meta is not
   * absent: it is either a commit under way (its lock tells) or damage.
   */
  private static boolean isAbsent(ObjectPaths paths) {
    return !Files.exists(paths.meta()) && !Files.exists(paths.content());
  }

  @Override
  public ObjectInfo write(URI uri, byte[] content, WritePrecondition precondition)
      throws IOException {
    ObjectPaths paths = ObjectPaths.of(uri);
    ensureParent(paths.content());
    Path staged = paths.newStagingFile();
    try {
      Files.write(staged, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return commit(uri, paths, staged, precondition);
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  @Override
  public ObjectUpload upload(URI uri) throws IOException {
    ObjectPaths paths = ObjectPaths.of(uri);
    ensureParent(paths.content());
    return new FolderUpload(uri, paths, paths.newStagingFile(), this);
  }

  /** Makes a staged file the object's content, if the precondition holds: the one commit point. */
  ObjectInfo commit(URI uri, ObjectPaths paths, Path staged, WritePrecondition precondition)
      throws IOException {
    return commit(uri, paths, staged, precondition, ObjectMeta.crc32cOf(staged));
  }

  /** As above, with the CRC32C already computed while the staged file was written. */
  ObjectInfo commit(
      URI uri, ObjectPaths paths, Path staged, WritePrecondition precondition, String crc32c)
      throws IOException {
    long size = Files.size(staged);
    try (ObjectLocks.Held held = locks.lock(paths)) {
      Optional<ObjectMeta> current = ObjectMeta.read(uri, paths);
      check(uri, current, precondition);
      ObjectMeta next = ObjectMeta.next(current, size, crc32c);
      // The next meta is written aside first, then the content moved in, then the meta: a writer
      // killed between any two leaves a state the next reader finishes or undoes (ObjectMeta.read),
      // never content without its meta.
      next.writeTo(paths.pendingMeta());
      Files.move(staged, paths.content(), StandardCopyOption.ATOMIC_MOVE);
      Files.move(paths.pendingMeta(), paths.meta(), StandardCopyOption.ATOMIC_MOVE);
      return next.info(uri);
    }
  }

  private static void check(URI uri, Optional<ObjectMeta> current, WritePrecondition condition) {
    if (condition instanceof WritePrecondition.DoesNotExist && current.isPresent()) {
      throw new PreconditionFailedException(uri + " already exists");
    }
    if (condition instanceof WritePrecondition.GenerationMatches match) {
      long actual = current.map(ObjectMeta::generation).orElse(0L);
      if (actual != match.generation()) {
        throw new PreconditionFailedException(
            uri + " is at generation " + actual + ", not " + match.generation());
      }
    }
  }

  @Override
  public InputStream open(URI uri) throws IOException {
    ObjectPaths paths = ObjectPaths.of(uri);
    try {
      return Files.newInputStream(paths.content());
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(uri.toString(), null, "no such object");
    }
  }

  @Override
  public byte[] readRange(URI uri, long offset, int length) throws IOException {
    byte[] buffer = new byte[(int) Math.min(length, Math.max(0, sizeOf(uri) - offset))];
    int read = readRange(uri, offset, buffer, 0, buffer.length);
    return read == buffer.length ? buffer : java.util.Arrays.copyOf(buffer, read);
  }

  @Override
  public int readRange(URI uri, long offset, byte[] into, int at, int length) throws IOException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + uri);
    }
    ObjectPaths paths = ObjectPaths.of(uri);
    try (FileChannel channel = FileChannel.open(paths.content(), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.wrap(into, at, length);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position() - at) < 0) {
          break;
        }
      }
      return buffer.position() - at;
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(uri.toString(), null, "no such object");
    }
  }

  /** A file's read needs no metadata: the size only bounds it. */
  @Override
  public int readKnownRange(URI uri, long size, long offset, byte[] into, int at, int length)
      throws IOException {
    return readRange(uri, offset, into, at, (int) Math.max(0, Math.min(length, size - offset)));
  }

  private static long sizeOf(URI uri) throws IOException {
    try {
      return Files.size(ObjectPaths.of(uri).content());
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(uri.toString(), null, "no such object");
    }
  }

  @Override
  public ObjectInfo copy(URI source, URI target, WritePrecondition targetPrecondition)
      throws IOException {
    ObjectPaths from = ObjectPaths.of(source);
    ObjectPaths to = ObjectPaths.of(target);
    ensureParent(to.content());
    Path staged = to.newStagingFile();
    try {
      try (InputStream in = Files.newInputStream(from.content());
          OutputStream out = Files.newOutputStream(staged, StandardOpenOption.CREATE_NEW)) {
        in.transferTo(out);
      } catch (NoSuchFileException e) {
        throw new NoSuchFileException(source.toString(), null, "no such object");
      }
      return commit(target, to, staged, targetPrecondition);
    } finally {
      Files.deleteIfExists(staged);
    }
  }

  @Override
  public boolean delete(URI uri) throws IOException {
    ObjectPaths paths = ObjectPaths.of(uri);
    if (!Files.exists(paths.meta()) && !Files.exists(paths.content())) {
      return false;
    }
    try (ObjectLocks.Held held = locks.lock(paths)) {
      boolean existed = Files.deleteIfExists(paths.content());
      Files.deleteIfExists(paths.meta());
      Files.deleteIfExists(paths.pendingMeta());
      held.retire(); // a deleted object keeps no lock file behind
      return existed;
    }
  }

  /** As GCS, and also what the store kept beside the objects and the folders left empty. */
  @Override
  public int deleteAll(URI folder) throws IOException {
    int deleted = ObjectStore.super.deleteAll(folder);
    new FolderSweep(locks).sweep(ObjectPaths.pathOf(folder));
    return deleted;
  }

  @Override
  public List<ObjectInfo> list(URI prefix) throws IOException {
    String wanted = ObjectPaths.pathOf(prefix).toString();
    List<ObjectInfo> found = new ArrayList<>();
    for (Path file : objectFiles(ObjectPaths.listingRoot(prefix))) {
      if (file.toString().startsWith(wanted)) {
        listed(file).ifPresent(found::add);
      }
    }
    found.sort(Comparator.comparing(info -> info.uri().toString()));
    return found;
  }

  /**
   * The content files of the objects under a folder, at any depth. A GCS listing is strongly
   * consistent and never fails for an object deleted meanwhile
   * (https://cloud.google.com/storage/docs/consistency): here, an entry or folder that vanishes
   * between the folder's read and the look at it (a staging file renamed into place, a checkpoint
   * or an attempt's folder cleaned up) is left out, not an error.
   */
  private List<Path> objectFiles(Path folder) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder)) {
      stream.forEach(entries::add);
    } catch (NoSuchFileException | NotDirectoryException gone) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    for (Path entry : entries) {
      probe.meet(entry);
      BasicFileAttributes attributes;
      try {
        attributes =
            Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException gone) {
        continue;
      }
      if (attributes.isDirectory()) {
        files.addAll(objectFiles(entry));
      } else if (!ObjectPaths.isHidden(entry)
          && (attributes.isRegularFile() || Files.isRegularFile(entry))) {
        files.add(entry);
      }
    }
    return files;
  }

  /**
   * One listed object; empty if it went meanwhile. A damaged object is listed all the same, as it
   * is there: with the size of its content, and no generation or CRC32C to trust (whatever reads or
   * writes it next is refused with the reason).
   */
  private Optional<ObjectInfo> listed(Path file) throws IOException {
    URI uri = file.toUri();
    try {
      try {
        return stat(uri);
      } catch (DamagedObjectException damaged) {
        return Optional.of(new ObjectInfo(uri, Files.size(file), 0, null));
      }
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    }
  }

  @Override
  public List<ObjectInfo> list(URI prefix, ObjectGlob glob) throws IOException {
    String root =
        ObjectPaths.pathOf(prefix) + (prefix.getPath().endsWith("/") ? File.separator : "");
    List<ObjectInfo> found = new ArrayList<>();
    for (ObjectInfo info : list(prefix)) {
      String key = ObjectPaths.pathOf(info.uri()).toString().substring(root.length());
      if (glob.matches(key.replace(File.separatorChar, '/'))) {
        found.add(info);
      }
    }
    return found;
  }

  /**
   * Local writes have no rate limit and a lost race is cheap to retry: back off from 5 ms to 250
   * ms, which keeps a local run of many pairs quick.
   */
  @Override
  public ContentionBackoff contentionBackoff() {
    return new ContentionBackoff(Duration.ofMillis(5), Duration.ofMillis(250), 400);
  }

  /** Creates the folder an object lives in; refuses a key that collides with a folder. */
  static void ensureParent(Path content) throws IOException {
    try {
      Files.createDirectories(content.getParent());
    } catch (FileAlreadyExistsException e) {
      throw new IOException("cannot store " + content + ": a parent is an object", e);
    }
  }

  static String newStagingName(String name) {
    return "." + name + ".staging-" + UUID.randomUUID();
  }
}

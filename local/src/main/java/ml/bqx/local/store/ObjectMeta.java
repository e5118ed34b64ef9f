package ml.bqx.local.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.zip.CRC32C;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.DamagedObjectException;
import ml.bqx.core.port.ObjectInfo;

/** An object's generation, size and CRC32C, kept in its hidden meta file as one text line. */
record ObjectMeta(long generation, long size, String crc32c) {
  /**
   * The object's meta, checked against its content; empty if there is no object. Finishes or undoes
   * a commit that was killed half way first. Call under the object's lock.
   *
   * @throws DamagedObjectException if the content is there without its meta, or not of the size the
   *     meta recorded: damage from outside the store, which GCS cannot have
   */
  static Optional<ObjectMeta> read(URI uri, ObjectPaths paths) throws IOException {
    settleInterruptedCommit(paths);
    Optional<ObjectMeta> meta = parse(paths.meta());
    boolean hasContent = Files.exists(paths.content());
    if (meta.isEmpty()) {
      if (hasContent) {
        throw damaged(uri, "its content is there without its record " + paths.meta().getFileName());
      }
      return Optional.empty();
    }
    if (!hasContent) {
      return Optional.empty(); // a delete removes the content first and was stopped there
    }
    long found = Files.size(paths.content());
    if (found != meta.get().size()) {
      throw damaged(uri, "stored size " + meta.get().size() + " bytes, found " + found);
    }
    return meta;
  }

  static DamagedObjectException damaged(URI uri, String why) {
    return new DamagedObjectException(uri + ": " + why + ": the object is damaged");
  }

  /**
   * A commit writes the pending meta, moves the content into place, then moves the pending meta
   * over the meta; one killed between those steps leaves the pending meta behind. If the content is
   * the one it describes, the commit took place and is finished; otherwise it never did.
   */
  private static void settleInterruptedCommit(ObjectPaths paths) throws IOException {
    Optional<ObjectMeta> pending = parse(paths.pendingMeta());
    if (pending.isEmpty()) {
      return;
    }
    if (pending.get().describes(paths.content())) {
      Files.move(paths.pendingMeta(), paths.meta(), StandardCopyOption.ATOMIC_MOVE);
    } else {
      Files.delete(paths.pendingMeta());
    }
  }

  private boolean describes(Path content) throws IOException {
    return Files.exists(content) && Files.size(content) == size && crc32cOf(content).equals(crc32c);
  }

  private static Optional<ObjectMeta> parse(Path file) throws IOException {
    String line;
    try {
      line = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String[] fields = line.split(" ");
    try {
      if (fields.length == 3) {
        return Optional.of(
            new ObjectMeta(Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields[2]));
      }
    } catch (NumberFormatException notANumber) {
      // as below
    }
    throw new DamagedObjectException(
        file
            + ": unreadable object record '"
            + line.lines().findFirst().orElse("")
            + "': the object is damaged");
  }

  /**
   * The meta of the next write: generations are microseconds since the epoch, as on GCS, and
   * strictly increase per object even when the clock does not.
   */
  static ObjectMeta next(Optional<ObjectMeta> current, long size, String crc32c) {
    long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    long generation = Math.max(now, current.map(m -> m.generation() + 1).orElse(1L));
    return new ObjectMeta(generation, size, crc32c);
  }

  /** Writes this meta whole into {@code target} (the meta or the pending meta). */
  void writeTo(Path target) throws IOException {
    Path staged = target.resolveSibling(FolderObjectStore.newStagingName("meta"));
    Files.writeString(staged, generation + " " + size + " " + crc32c, StandardCharsets.UTF_8);
    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
  }

  ObjectInfo info(URI uri) {
    return new ObjectInfo(uri, size, generation, crc32c);
  }

  static String crc32cOf(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        crc.update(buffer, 0, n);
      }
    }
    return Crc32c.toBase64(crc.getValue());
  }
}

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
import ml.bqx.core.port.ObjectInfo;

/** An object's generation, size and CRC32C, kept in its hidden meta file as one text line. */
record ObjectMeta(long generation, long size, String crc32c) {
  static Optional<ObjectMeta> read(ObjectPaths paths) throws IOException {
    String line;
    try {
      line = Files.readString(paths.meta(), StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!Files.exists(paths.content())) {
      return Optional.empty();
    }
    String[] fields = line.split(" ");
    if (fields.length != 3) {
      throw new IOException("corrupt object meta " + paths.meta() + ": '" + line + "'");
    }
    return Optional.of(
        new ObjectMeta(Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields[2]));
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

  void write(ObjectPaths paths) throws IOException {
    Path staged = paths.meta().resolveSibling(FolderObjectStore.newStagingName("meta"));
    Files.writeString(staged, generation + " " + size + " " + crc32c, StandardCharsets.UTF_8);
    Files.move(staged, paths.meta(), StandardCopyOption.ATOMIC_MOVE);
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

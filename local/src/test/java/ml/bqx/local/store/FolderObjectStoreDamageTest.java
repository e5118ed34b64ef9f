package ml.bqx.local.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import ml.bqx.core.port.DamagedObjectException;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.WritePrecondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage done to the folder store from outside (GCS can have neither state): an object whose hidden
 * record is deleted, or whose content is cut short or changed. The store refuses to read or write
 * it with one line naming the object, and leaves it byte for byte as it is.
 */
class FolderObjectStoreDamageTest {
  private static final byte[] CONTENT =
      "{\"run\":\"r1\",\"history\":[1,2,3,4,5,6,7,8,9,10,11,12]}".getBytes(UTF_8);

  @TempDir Path dir;
  private final FolderObjectStore store = new FolderObjectStore();

  private URI uri() {
    return dir.resolve("runs/r1/ledger.json").toUri();
  }

  private Path content() {
    return dir.resolve("runs/r1/ledger.json");
  }

  private Path meta() {
    return dir.resolve("runs/r1/.ledger.json.meta");
  }

  @Test
  void objectWithoutItsRecord_isRefusedByEveryReadAndWrite_andKeptAsItIs() throws IOException {
    ObjectInfo written = store.write(uri(), CONTENT, WritePrecondition.doesNotExist());
    Files.delete(meta());

    everyReadAndWriteRefused(written, uri() + ": its content is there without its record");

    assertThat(Files.readAllBytes(content())).isEqualTo(CONTENT);
    assertThat(meta()).doesNotExist();
  }

  @Test
  void objectWithoutItsRecord_isStillListed_andCanBeDeleted() throws IOException {
    store.write(uri(), CONTENT, WritePrecondition.doesNotExist());
    Files.delete(meta());

    List<ObjectInfo> listed = store.list(dir.resolve("runs/").toUri());
    assertThat(listed).extracting(ObjectInfo::uri).containsExactly(uri());
    assertThat(listed.get(0).size()).isEqualTo(CONTENT.length);

    assertThat(store.delete(uri())).isTrue();
    assertThat(store.read(uri())).isEmpty();
    store.write(uri(), CONTENT, WritePrecondition.doesNotExist());
    assertThat(store.read(uri()).orElseThrow().content()).isEqualTo(CONTENT);
  }

  @Test
  void truncatedObject_isRefusedWithBothSizes_andNotWrittenOver() throws IOException {
    ObjectInfo written = store.write(uri(), CONTENT, WritePrecondition.doesNotExist());
    int half = CONTENT.length / 2;
    try (FileChannel file = FileChannel.open(content(), StandardOpenOption.WRITE)) {
      file.truncate(half);
    }
    byte[] damaged = Files.readAllBytes(content());

    String reason =
        uri()
            + ": stored size "
            + CONTENT.length
            + " bytes, found "
            + half
            + ": the object is damaged";
    everyReadAndWriteRefused(written, reason);

    assertThat(Files.readAllBytes(content())).isEqualTo(damaged);
  }

  @Test
  void objectChangedInPlace_isRefusedByItsCrc32c() throws IOException {
    store.write(uri(), CONTENT, WritePrecondition.doesNotExist());
    byte[] changed = CONTENT.clone();
    changed[10] ^= 1;
    Files.write(content(), changed);

    DamagedObjectException e = assertThrows(DamagedObjectException.class, () -> store.read(uri()));
    assertThat(e.getMessage())
        .startsWith(uri() + ": stored CRC32C ")
        .endsWith(": the object is damaged")
        .doesNotContain("\n");
  }

  @Test
  void unreadableRecord_isRefusedNamingIt() throws IOException {
    ObjectInfo written = store.write(uri(), CONTENT, WritePrecondition.doesNotExist());
    Files.writeString(meta(), "not a record\nsecond line");

    everyReadAndWriteRefused(
        written, meta() + ": unreadable object record 'not a record': the object is damaged");
    assertThat(Files.readAllBytes(content())).isEqualTo(CONTENT);
  }

  /** Stat, read, and a write on any precondition (the generation last written among them). */
  private void everyReadAndWriteRefused(ObjectInfo written, String reason) {
    refused(() -> store.stat(uri()), reason);
    refused(() -> store.read(uri()), reason);
    for (WritePrecondition precondition :
        List.of(
            WritePrecondition.doesNotExist(),
            WritePrecondition.none(),
            WritePrecondition.generationMatches(written.generation()))) {
      refused(() -> store.write(uri(), "{}".getBytes(UTF_8), precondition), reason);
    }
  }

  private static void refused(Executable call, String reason) {
    DamagedObjectException e = assertThrows(DamagedObjectException.class, call);
    assertThat(e.getMessage()).startsWith(reason).doesNotContain("\n");
  }
}

package ml.bqx.local.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.WritePrecondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer killed (kill -9) in the middle of a commit leaves the files of one of its steps: the
 * pending meta written, then the content moved in, then the meta moved over. Each state reads as
 * the object before the commit or after it, never as damage, so that a crash is not mistaken for
 * the damage the store refuses.
 */
class FolderObjectStoreInterruptedCommitTest {
  private static final byte[] OLD = "{\"v\":1}".getBytes(UTF_8);
  private static final byte[] NEW = "{\"v\":2,\"more\":true}".getBytes(UTF_8);

  @TempDir Path dir;
  private final FolderObjectStore store = new FolderObjectStore();

  private URI uri() {
    return dir.resolve("runs/r1/ledger.json").toUri();
  }

  private ObjectPaths paths() throws IOException {
    return ObjectPaths.of(uri());
  }

  /** The meta the killed commit wrote aside, one generation on from {@code current}. */
  private void pendingMetaOf(byte[] content, Optional<ObjectInfo> current) throws IOException {
    ObjectMeta.next(
            current.map(i -> new ObjectMeta(i.generation(), i.size(), i.crc32c())),
            content.length,
            Crc32c.of(content))
        .writeTo(paths().pendingMeta());
  }

  @Test
  void killedBeforeTheContentMoved_readsAsBefore_andTheNextWriteGoesOn() throws IOException {
    ObjectInfo before = store.write(uri(), OLD, WritePrecondition.doesNotExist());
    pendingMetaOf(NEW, Optional.of(before));

    StoredObject read = store.read(uri()).orElseThrow();
    assertThat(read.content()).isEqualTo(OLD);
    assertThat(read.info()).isEqualTo(before);
    assertThat(paths().pendingMeta()).doesNotExist();
    store.write(uri(), NEW, WritePrecondition.generationMatches(before.generation()));
    assertThat(store.read(uri()).orElseThrow().content()).isEqualTo(NEW);
  }

  @Test
  void killedAfterTheContentMoved_readsAsAfter() throws IOException {
    ObjectInfo before = store.write(uri(), OLD, WritePrecondition.doesNotExist());
    pendingMetaOf(NEW, Optional.of(before));
    Files.write(paths().content(), NEW);

    StoredObject read = store.read(uri()).orElseThrow();
    assertThat(read.content()).isEqualTo(NEW);
    assertThat(read.info().generation()).isGreaterThan(before.generation());
    assertThat(read.info().size()).isEqualTo(NEW.length);
    assertThat(paths().pendingMeta()).doesNotExist();
  }

  @Test
  void killedAfterANewObjectsContentMoved_isThatObject_notContentWithoutItsMeta()
      throws IOException {
    Files.createDirectories(paths().content().getParent());
    pendingMetaOf(NEW, Optional.empty());
    Files.write(paths().content(), NEW);

    assertThat(store.stat(uri())).get().extracting(ObjectInfo::size).isEqualTo((long) NEW.length);
    assertThat(store.read(uri()).orElseThrow().content()).isEqualTo(NEW);
  }

  @Test
  void killedBeforeANewObjectsContentMoved_isNoObject_andItCanBeCreated() throws IOException {
    Files.createDirectories(paths().content().getParent());
    pendingMetaOf(NEW, Optional.empty());

    assertThat(store.read(uri())).isEmpty();
    store.write(uri(), OLD, WritePrecondition.doesNotExist());
    assertThat(store.read(uri()).orElseThrow().content()).isEqualTo(OLD);
  }
}

package ml.bqx.local.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.WritePrecondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder deleted whole leaves nothing behind (issue 15, item 6): GCS keeps no partial upload, no
 * lock and no folder, so the folder store keeps none either once it is told a folder is done.
 */
class FolderObjectStoreSweepTest {
  @TempDir Path dir;
  private final FolderObjectStore store = new FolderObjectStore();

  private URI at(String key) {
    return dir.resolve(key).toUri();
  }

  @Test
  void deleteAll_leavesNoMetaLockPartialUploadOrEmptyFolder() throws IOException {
    Path pair = dir.resolve("runs/r1/pairs/eurusd");
    store.write(at("runs/r1/pairs/eurusd/checkpoints/t1.parquet"), bytes("1"), none());
    store.write(at("runs/r1/pairs/eurusd/checkpoints/t1.done.json"), bytes("{}"), none());
    try (ObjectUpload merged = store.upload(at("runs/r1/pairs/eurusd/staging/f.parquet"))) {
      merged.write(bytes("merged"));
      merged.finish();
    }
    // What kill -9 of a job mid-upload leaves: an upload begun, never finished nor closed.
    ObjectUpload cut = store.upload(at("runs/r1/pairs/eurusd/checkpoints/t2.parquet"));
    cut.write(new byte[1024]);
    store.write(at("runs/r1/ledger.json"), bytes("{}"), none());
    assertThat(hiddenFiles(pair)).isNotEmpty();

    int deleted = store.deleteAll(at("runs/r1/pairs/eurusd/"));

    assertThat(deleted).isEqualTo(3);
    assertThat(pair).doesNotExist();
    assertThat(dir.resolve("runs/r1/pairs")).isDirectory();
    assertThat(store.read(at("runs/r1/ledger.json"))).isPresent();
  }

  @Test
  void deleteAll_keepsFilesTheStoreDidNotMake_andTheirFolder() throws IOException {
    store.write(at("pairs/eurusd/t1.parquet"), bytes("1"), none());
    Path stranger = dir.resolve("pairs/eurusd/.DS_Store");
    Files.writeString(stranger, "finder");

    store.deleteAll(at("pairs/eurusd/"));

    assertThat(stranger).exists();
    try (Stream<Path> left = Files.list(stranger.getParent())) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly(".DS_Store");
    }
  }

  @Test
  void delete_leavesNoMetaOrLockFile_andTheObjectCanBeWrittenAgain() throws IOException {
    URI progress = at("runs/r1/progress/eurusd.json");
    store.write(progress, bytes("{}"), none());

    assertThat(store.delete(progress)).isTrue();

    assertThat(hiddenFiles(dir.resolve("runs/r1/progress"))).isEmpty();
    store.write(progress, bytes("{\"again\":1}"), WritePrecondition.doesNotExist());
    assertThat(store.read(progress).orElseThrow().content()).isEqualTo(bytes("{\"again\":1}"));
  }

  @Test
  void aSweptFolder_takesNewObjects_asBefore() throws IOException {
    store.write(at("pairs/eurusd/t1.parquet"), bytes("1"), none());
    store.deleteAll(at("pairs/eurusd/"));

    store.write(at("pairs/eurusd/t1.parquet"), bytes("2"), WritePrecondition.doesNotExist());

    assertThat(store.read(at("pairs/eurusd/t1.parquet")).orElseThrow().content())
        .isEqualTo(bytes("2"));
  }

  /**
   * A sweep killed between marking a lock file retired and unlinking it leaves the mark: the next
   * writer of that object takes the lock all the same, instead of waiting for ever.
   */
  @Test
  void aLockFileLeftRetired_byAKilledSweep_doesNotStopTheNextWrite() throws IOException {
    URI object = at("pairs/eurusd/t1.parquet");
    store.write(object, bytes("1"), none());
    Path lock = ObjectPaths.of(object).lock();
    Files.write(lock, bytes("x"));

    store.write(object, bytes("2"), none());

    assertThat(store.read(object).orElseThrow().content()).isEqualTo(bytes("2"));
    assertThat(lock).isEmptyFile();
  }

  private static List<Path> hiddenFiles(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).filter(ObjectPaths::isHidden).toList();
    }
  }

  private static WritePrecondition none() {
    return WritePrecondition.none();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }
}

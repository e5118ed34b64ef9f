package ml.bqx.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import ml.bqx.core.port.ObjectGlob;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.WritePrecondition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listing while other processes write and delete beside it (a job finishing a checkpoint, a
 * cleanup removing an attempt): whatever vanishes between the folder's read and the look at the
 * entry is left out, never an error, as a GCS listing never fails for an object deleted meanwhile.
 * The store's probe runs just before each entry is looked at, which is where the race is.
 */
class FolderObjectStoreListingRaceTest {
  @TempDir Path dir;

  private URI at(String key) {
    return dir.resolve(key).toUri();
  }

  private static byte[] one() {
    return new byte[] {1};
  }

  @Test
  void objectDeletedWhileListing_isLeftOut() throws IOException {
    FolderObjectStore writer = new FolderObjectStore();
    for (String key : List.of("a.parquet", "b.parquet", "c.parquet")) {
      writer.write(at("cp/" + key), one(), WritePrecondition.none());
    }
    Path doomed = dir.resolve("cp/b.parquet");
    FolderObjectStore lister =
        new FolderObjectStore(
            entry -> {
              if (entry.equals(doomed)) {
                writer.delete(at("cp/b.parquet"));
              }
            });

    assertThat(lister.list(at("cp/")))
        .extracting(ObjectInfo::uri)
        .containsExactly(at("cp/a.parquet"), at("cp/c.parquet"));
  }

  @Test
  void stagingFileRenamedIntoPlaceWhileListing_isNoError() throws IOException {
    FolderObjectStore writer = new FolderObjectStore();
    writer.write(at("cp/a.parquet"), one(), WritePrecondition.none());
    ObjectUpload upload = writer.upload(at("cp/b.parquet"));
    upload.write(one());
    FolderObjectStore lister =
        new FolderObjectStore(
            entry -> {
              if (entry.getFileName().toString().startsWith(".b.parquet.staging-")) {
                upload.finish();
              }
            });

    List<ObjectInfo> listed = lister.list(at("cp/"));

    assertThat(listed).extracting(ObjectInfo::uri).startsWith(at("cp/a.parquet"));
    assertThat(writer.stat(at("cp/b.parquet"))).isPresent();
  }

  @Test
  void folderRemovedWhileListing_isLeftOut_andTheLedgersStillListed() throws IOException {
    FolderObjectStore writer = new FolderObjectStore();
    writer.write(at("runs/r1/ledger.json"), one(), WritePrecondition.doesNotExist());
    writer.write(at("runs/r2/ledger.json"), one(), WritePrecondition.doesNotExist());
    for (int i = 0; i < 3; i++) {
      writer.write(
          at("runs/r1/eurusd/attempt-1/t" + i + ".parquet"), one(), WritePrecondition.none());
    }
    Path attempt = dir.resolve("runs/r1/eurusd");
    FolderObjectStore lister =
        new FolderObjectStore(
            entry -> {
              if (entry.equals(attempt)) {
                removeTree(attempt);
              }
            });

    assertThat(lister.list(at("runs/"), ObjectGlob.of("*/ledger.json")))
        .extracting(ObjectInfo::uri)
        .containsExactly(at("runs/r1/ledger.json"), at("runs/r2/ledger.json"));
  }

  private static void removeTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}

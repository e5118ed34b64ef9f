package ml.bqx.core.port;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ObjectStore} adapter promises; each adapter's test extends this class and says
 * where its objects go. Adapters on emulators that cannot prove compare-and-swap override {@link
 * #emulatesPreconditions()} and prove their mapping of a conflict in a test of their own.
 */
public abstract class ObjectStoreContract {
  /** The store under test. */
  protected abstract ObjectStore store();

  /** A fresh root under which this test's objects go, e.g. {@code gs://bucket/test-123}. */
  protected abstract URI root();

  /** False only for emulators that ignore generation preconditions. */
  protected boolean emulatesPreconditions() {
    return true;
  }

  /**
   * False only for emulators that list an upload's object before it finishes (LocalStorageHelper);
   * such adapters prove invisibility over an existing object in a test of their own.
   */
  protected boolean emulatesUploadSessions() {
    return true;
  }

  /**
   * False only for emulators that refuse a listing by glob (LocalStorageHelper: "Unknown option:
   * MATCH_GLOB"): on them the refusal must reach the caller, never an unfiltered listing. Such
   * adapters prove the glob on a fake of their own service.
   */
  protected boolean listsWithGlob() {
    return true;
  }

  private URI at(String key) {
    return StoreUris.resolve(root(), key);
  }

  @Test
  void read_ofMissingObject_isEmpty() throws IOException {
    assertThat(store().read(at("missing/nothing.json"))).isEmpty();
    assertThat(store().stat(at("missing/nothing.json"))).isEmpty();
  }

  @Test
  void write_thenRead_returnsContentSizeCrcAndGeneration() throws IOException {
    byte[] content = "{\"hello\":1}".getBytes(UTF_8);
    ObjectInfo written = store().write(at("a/b.json"), content, WritePrecondition.none());

    StoredObject read = store().read(at("a/b.json")).orElseThrow();
    assertThat(read.content()).isEqualTo(content);
    assertThat(read.info().generation()).isEqualTo(written.generation()).isPositive();
    assertThat(read.info().size()).isEqualTo(content.length);
    assertThat(read.info().crc32c()).isEqualTo(Crc32c.of(content));
    assertThat(store().stat(at("a/b.json")).orElseThrow().generation())
        .isEqualTo(written.generation());
  }

  @Test
  void write_again_changesGeneration() throws IOException {
    long first = store().write(at("g.txt"), bytes("1"), WritePrecondition.none()).generation();
    long second = store().write(at("g.txt"), bytes("2"), WritePrecondition.none()).generation();
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void write_ifDoesNotExist_whenObjectExists_failsAndKeepsContent() throws IOException {
    store().write(at("once.txt"), bytes("first"), WritePrecondition.doesNotExist());
    assertThat(store().read(at("once.txt")).orElseThrow().content()).isEqualTo(bytes("first"));
    if (emulatesPreconditions()) {
      assertThrows(
          PreconditionFailedException.class,
          () -> store().write(at("once.txt"), bytes("second"), WritePrecondition.doesNotExist()));
      assertThat(store().read(at("once.txt")).orElseThrow().content()).isEqualTo(bytes("first"));
    }
  }

  @Test
  void write_ifGenerationMatches_succeedsOnlyAtThatGeneration() throws IOException {
    long generation =
        store().write(at("cas.txt"), bytes("v1"), WritePrecondition.none()).generation();
    long next =
        store()
            .write(at("cas.txt"), bytes("v2"), WritePrecondition.generationMatches(generation))
            .generation();
    assertThat(store().read(at("cas.txt")).orElseThrow().content()).isEqualTo(bytes("v2"));
    if (emulatesPreconditions()) {
      assertThrows(
          PreconditionFailedException.class,
          () ->
              store()
                  .write(
                      at("cas.txt"), bytes("v3"), WritePrecondition.generationMatches(generation)));
      assertThat(store().read(at("cas.txt")).orElseThrow().content()).isEqualTo(bytes("v2"));
      assertThat(store().stat(at("cas.txt")).orElseThrow().generation()).isEqualTo(next);
    }
  }

  @Test
  void upload_isInvisibleUntilFinished_thenWholeWithItsCrc() throws IOException {
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    ObjectInfo info;
    try (ObjectUpload upload = store().upload(at("big/file.bin"))) {
      upload.write(content, 0, 100_000);
      if (emulatesUploadSessions()) {
        assertThat(store().stat(at("big/file.bin"))).isEmpty();
      }
      upload.write(content, 100_000, content.length - 100_000);
      assertThat(upload.crc32cSoFar()).isEqualTo(Crc32c.of(content));
      info = upload.finish();
    }
    assertThat(info.size()).isEqualTo(content.length);
    assertThat(info.crc32c()).isEqualTo(Crc32c.of(content));
    try (InputStream in = store().open(at("big/file.bin"))) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
  }

  @Test
  void upload_closedWithoutFinish_leavesNothing() throws IOException {
    try (ObjectUpload upload = store().upload(at("abandoned.bin"))) {
      upload.write(bytes("partial"));
    }
    if (emulatesUploadSessions()) {
      assertThat(store().stat(at("abandoned.bin"))).isEmpty();
      assertThat(store().list(root())).isEmpty();
    }
  }

  @Test
  void readRange_readsOnlyTheSlice_andLessAtTheEnd() throws IOException {
    store().write(at("range.txt"), bytes("0123456789"), WritePrecondition.none());
    assertThat(store().readRange(at("range.txt"), 3, 4)).isEqualTo(bytes("3456"));
    assertThat(store().readRange(at("range.txt"), 8, 10)).isEqualTo(bytes("89"));
    assertThat(store().readRange(at("range.txt"), 10, 5)).isEmpty();
  }

  @Test
  void readRange_intoABuffer_fillsItFromTheGivenIndex_andSaysHowMuch() throws IOException {
    store().write(at("range.txt"), bytes("0123456789"), WritePrecondition.none());
    byte[] buffer = bytes("..........");
    assertThat(store().readRange(at("range.txt"), 2, buffer, 4, 5)).isEqualTo(5);
    assertThat(buffer).isEqualTo(bytes("....23456."));
    assertThat(store().readRange(at("range.txt"), 8, buffer, 0, 5)).isEqualTo(2);
    assertThat(buffer).startsWith(bytes("89"));
  }

  @Test
  void readKnownRange_readsTheSliceOfTheSizeGiven_andLessWhereTheObjectEnds() throws IOException {
    store().write(at("range.txt"), bytes("0123456789"), WritePrecondition.none());
    byte[] buffer = bytes("..........");
    assertThat(store().readKnownRange(at("range.txt"), 10, 2, buffer, 4, 5)).isEqualTo(5);
    assertThat(buffer).isEqualTo(bytes("....23456."));
    assertThat(store().readKnownRange(at("range.txt"), 10, 8, buffer, 0, 5)).isEqualTo(2);
    assertThat(buffer).startsWith(bytes("89"));
    assertThat(store().readKnownRange(at("range.txt"), 10, 10, buffer, 0, 5)).isZero();
  }

  @Test
  void copy_copiesContent_andHonoursTheTargetPrecondition() throws IOException {
    store().write(at("src.txt"), bytes("payload"), WritePrecondition.none());
    ObjectInfo copied =
        store().copy(at("src.txt"), at("dst/copy.txt"), WritePrecondition.doesNotExist());
    assertThat(copied.crc32c()).isEqualTo(Crc32c.of(bytes("payload")));
    assertThat(store().read(at("dst/copy.txt")).orElseThrow().content())
        .isEqualTo(bytes("payload"));
    if (emulatesPreconditions()) {
      assertThrows(
          PreconditionFailedException.class,
          () -> store().copy(at("src.txt"), at("dst/copy.txt"), WritePrecondition.doesNotExist()));
    }
  }

  @Test
  void delete_removesObject_andSaysWhetherThereWasOne() throws IOException {
    store().write(at("gone.txt"), bytes("x"), WritePrecondition.none());
    assertThat(store().delete(at("gone.txt"))).isTrue();
    assertThat(store().stat(at("gone.txt"))).isEmpty();
    assertThat(store().delete(at("gone.txt"))).isFalse();
  }

  @Test
  void list_returnsObjectsUnderPrefix_sortedByUri() throws IOException {
    store().write(at("runs/r1/b.json"), bytes("b"), WritePrecondition.none());
    store().write(at("runs/r1/a.json"), bytes("a"), WritePrecondition.none());
    store().write(at("runs/r1/sub/c.json"), bytes("c"), WritePrecondition.none());
    store().write(at("runs/r2/d.json"), bytes("d"), WritePrecondition.none());

    List<String> listed =
        store().list(at("runs/r1/")).stream().map(info -> info.uri().toString()).toList();

    assertThat(listed)
        .containsExactly(
            at("runs/r1/a.json").toString(),
            at("runs/r1/b.json").toString(),
            at("runs/r1/sub/c.json").toString());
  }

  @Test
  void list_withAGlob_returnsOnlyTheObjectsWhoseKeyAfterThePrefixMatches() throws IOException {
    for (String key :
        List.of(
            "runs/r1/ledger.json",
            "runs/r1/eurusd/checkpoints/t1.parquet",
            "runs/r1/eurusd/ledger.json",
            "runs/r2/ledger.json",
            "runs/r2/ledger.json.bak",
            "runs/ledger.json",
            "other/r3/ledger.json")) {
      store().write(at(key), bytes(key), WritePrecondition.none());
    }
    if (!listsWithGlob()) {
      assertThrows(
          IOException.class, () -> store().list(at("runs/"), ObjectGlob.of("*/ledger.json")));
      return;
    }

    List<String> ledgers =
        store().list(at("runs/"), ObjectGlob.of("*/ledger.json")).stream()
            .map(info -> info.uri().toString())
            .toList();
    List<String> deep =
        store().list(at("runs/"), ObjectGlob.of("**/ledger.json")).stream()
            .map(info -> info.uri().toString())
            .toList();

    assertThat(ledgers)
        .containsExactly(
            at("runs/r1/ledger.json").toString(), at("runs/r2/ledger.json").toString());
    assertThat(deep)
        .containsExactly(
            at("runs/ledger.json").toString(),
            at("runs/r1/eurusd/ledger.json").toString(),
            at("runs/r1/ledger.json").toString(),
            at("runs/r2/ledger.json").toString());
  }

  @Test
  void deleteAll_deletesEveryObjectUnderTheFolder_andNothingBeside() throws IOException {
    store().write(at("pairs/eurusd/checkpoints/t1.parquet"), bytes("1"), WritePrecondition.none());
    store().write(at("pairs/eurusd/staging/f.parquet"), bytes("2"), WritePrecondition.none());
    store().write(at("pairs/eurusd2/kept.parquet"), bytes("3"), WritePrecondition.none());
    store().write(at("pairs/ledger.json"), bytes("4"), WritePrecondition.none());

    int deleted = store().deleteAll(at("pairs/eurusd/"));

    assertThat(deleted).isEqualTo(2);
    assertThat(store().list(at("pairs/")).stream().map(info -> info.uri().toString()))
        .containsExactly(
            at("pairs/eurusd2/kept.parquet").toString(), at("pairs/ledger.json").toString());
    assertThat(store().deleteAll(at("pairs/eurusd/"))).isZero();
  }

  @Test
  void deleteAll_ofAnObjectNotAFolder_isRefused() throws IOException {
    store().write(at("lone.txt"), bytes("1"), WritePrecondition.none());
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> store().deleteAll(at("lone.txt")));
    assertThat(refused).hasMessageContaining("is not a folder");
    assertThat(store().stat(at("lone.txt"))).isPresent();
  }

  @Test
  void open_ofMissingObject_fails() {
    assertThrows(IOException.class, () -> store().open(at("nope.bin")).close());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }
}

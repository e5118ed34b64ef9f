package ml.bqx.gcp.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.port.WritePrecondition;
import org.junit.jupiter.api.Test;

class GcsObjectStoreTest {
  private final GcsObjectStore store =
      new GcsObjectStore(LocalStorageHelper.customOptions(false).getService());

  private static URI uri(String key) {
    return URI.create("gs://bucket/" + key);
  }

  @Test
  void write_thenRead_returnsContentSizeAndCrc32c() throws Exception {
    byte[] content = "hello ledger".getBytes(UTF_8);

    ObjectInfo written = store.write(uri("a/x.json"), content, WritePrecondition.none());

    assertThat(written.size()).isEqualTo(content.length);
    assertThat(written.crc32c()).isEqualTo(Crc32c.of(content));
    assertThat(store.read(uri("a/x.json")).orElseThrow().content()).isEqualTo(content);
    assertThat(store.stat(uri("a/x.json")).orElseThrow().size()).isEqualTo(content.length);
  }

  @Test
  void missingObject_statAndReadEmpty_openRefuses() throws Exception {
    assertThat(store.stat(uri("none"))).isEmpty();
    assertThat(store.read(uri("none"))).isEmpty();
    assertThat(store.delete(uri("none"))).isFalse();
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> store.open(uri("none")));
    assertThat(e.getMessage()).isEqualTo("gs://bucket/none");
  }

  @Test
  void write_doesNotExist_whenObjectExists_failsPrecondition() throws Exception {
    store.write(uri("ledger.json"), new byte[] {1}, WritePrecondition.doesNotExist());

    assertThrows(
        PreconditionFailedException.class,
        () -> store.write(uri("ledger.json"), new byte[] {2}, WritePrecondition.doesNotExist()));
    assertThat(store.read(uri("ledger.json")).orElseThrow().content()).containsExactly(1);
  }

  @Test
  void write_generationMismatch_failsPrecondition() throws Exception {
    ObjectInfo first = store.write(uri("ledger.json"), new byte[] {1}, WritePrecondition.none());

    PreconditionFailedException e =
        assertThrows(
            PreconditionFailedException.class,
            () ->
                store.write(
                    uri("ledger.json"),
                    new byte[] {2},
                    WritePrecondition.generationMatches(first.generation() + 7)));
    assertThat(e.getMessage()).contains("gs://bucket/ledger.json");
    assertThat(store.read(uri("ledger.json")).orElseThrow().content()).containsExactly(1);
  }

  @Test
  void write_generationMatches_replacesObject() throws Exception {
    ObjectInfo first = store.write(uri("ledger.json"), new byte[] {1}, WritePrecondition.none());

    store.write(
        uri("ledger.json"),
        new byte[] {2},
        WritePrecondition.generationMatches(first.generation()));

    assertThat(store.read(uri("ledger.json")).orElseThrow().content()).containsExactly(2);
  }

  @Test
  void upload_isInvisibleUntilFinish_andChecksumsTheStream() throws Exception {
    store.write(uri("out.parquet"), "old".getBytes(UTF_8), WritePrecondition.none());
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }

    ObjectInfo info;
    try (ObjectUpload upload = store.upload(uri("out.parquet"))) {
      upload.write(big, 0, 1000);
      upload.write(big, 1000, big.length - 1000);
      assertThat(store.read(uri("out.parquet")).orElseThrow().content())
          .isEqualTo("old".getBytes(UTF_8));
      assertThat(upload.crc32cSoFar()).isEqualTo(Crc32c.of(big));
      info = upload.finish();
    }

    assertThat(info.crc32c()).isEqualTo(Crc32c.of(big));
    assertThat(info.size()).isEqualTo(big.length);
    try (InputStream in = store.open(uri("out.parquet"))) {
      assertThat(in.readAllBytes()).isEqualTo(big);
    }
  }

  @Test
  void upload_closedWithoutFinish_leavesTheOldObject() throws Exception {
    store.write(uri("out.parquet"), "old".getBytes(UTF_8), WritePrecondition.none());

    try (ObjectUpload upload = store.upload(uri("out.parquet"))) {
      upload.write("partial".getBytes(UTF_8));
    }

    assertThat(store.read(uri("out.parquet")).orElseThrow().content())
        .isEqualTo("old".getBytes(UTF_8));
  }

  @Test
  void readRange_readsTheRangeAndStopsAtTheEnd() throws Exception {
    store.write(uri("f"), "0123456789".getBytes(UTF_8), WritePrecondition.none());

    assertThat(new String(store.readRange(uri("f"), 3, 4), UTF_8)).isEqualTo("3456");
    assertThat(new String(store.readRange(uri("f"), 8, 10), UTF_8)).isEqualTo("89");
    assertThat(store.readRange(uri("f"), 10, 5)).isEmpty();
    assertThrows(NoSuchFileException.class, () -> store.readRange(uri("nope"), 0, 1));
  }

  @Test
  void copy_toNewTarget_copiesAndRefusesExistingTargetWhenDoesNotExist() throws Exception {
    store.write(uri("src"), "payload".getBytes(UTF_8), WritePrecondition.none());

    ObjectInfo copied = store.copy(uri("src"), uri("dst"), WritePrecondition.doesNotExist());

    assertThat(copied.uri()).isEqualTo(uri("dst"));
    assertThat(copied.size()).isEqualTo(7);
    assertThat(store.read(uri("dst")).orElseThrow().content()).isEqualTo("payload".getBytes(UTF_8));
    assertThrows(
        PreconditionFailedException.class,
        () -> store.copy(uri("src"), uri("dst"), WritePrecondition.doesNotExist()));
  }

  @Test
  void copy_missingSource_namesTheSource() {
    NoSuchFileException e =
        assertThrows(
            NoSuchFileException.class,
            () -> store.copy(uri("nope"), uri("dst"), WritePrecondition.none()));
    assertThat(e.getMessage()).isEqualTo("gs://bucket/nope");
  }

  @Test
  void list_returnsObjectsUnderPrefixSorted() throws Exception {
    for (String key : new String[] {"runs/r1/b", "runs/r1/a", "runs/r2/c", "other/d"}) {
      store.write(uri(key), new byte[] {7}, WritePrecondition.none());
    }

    assertThat(store.list(uri("runs/r1/")))
        .extracting(ObjectInfo::uri)
        .containsExactly(uri("runs/r1/a"), uri("runs/r1/b"));
    assertThat(store.list(URI.create("gs://bucket/runs")))
        .extracting(ObjectInfo::uri)
        .containsExactly(uri("runs/r1/a"), uri("runs/r1/b"), uri("runs/r2/c"));
  }

  @Test
  void delete_removesTheObject() throws Exception {
    store.write(uri("x"), new byte[] {1}, WritePrecondition.none());

    assertThat(store.delete(uri("x"))).isTrue();
    assertThat(store.stat(uri("x"))).isEmpty();
  }

  @Test
  void badUri_isRefusedWithReason() {
    IllegalArgumentException scheme =
        assertThrows(
            IllegalArgumentException.class, () -> store.stat(URI.create("s3://bucket/key")));
    assertThat(scheme.getMessage()).isEqualTo("'s3://bucket/key' is not a gs:// URI");
    IllegalArgumentException noKey =
        assertThrows(IllegalArgumentException.class, () -> store.stat(URI.create("gs://bucket/")));
    assertThat(noKey.getMessage()).contains("names no object");
  }

  @Test
  void provider_isFoundByScheme() throws Exception {
    BqxConfig config = BqxConfig.from(Map.of("BQX_PROJECT", "p1"));

    assertThat(Adapters.objectStore(URI.create("gs://bucket/staging"), config))
        .isInstanceOf(GcsObjectStore.class);
  }
}

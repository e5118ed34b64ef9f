package ml.bqx.gcp.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.ComposeRequest;
import com.google.cloud.storage.StorageException;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.wire.gcs.FakeGcsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The parallel composite upload against the loopback fake of the GCS JSON API, counted in requests
 * and bytes: parts of the part size, each its own upload, composed (in levels past 32 sources) into
 * an object equal to the bytes written, and no part left behind, after success, abandon or a
 * refused compose.
 */
class GcsCompositeUploadTest {
  private static final int PART = 1_000;
  private final FakeGcsServer gcs = new FakeGcsServer("bucket", () -> Instant.EPOCH);
  private final GcsObjectStore store = new GcsObjectStore(gcs.client(), PART, 3);
  private final URI target = URI.create("gs://bucket/out/eurusd.parquet");

  GcsCompositeUploadTest() throws IOException {}

  @AfterEach
  void stop() {
    gcs.close();
  }

  private static byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  /** Writes in uneven pieces, so that parts are cut inside a write and across writes. */
  private ObjectInfo upload(byte[] content) throws IOException {
    return upload(content, target);
  }

  private ObjectInfo upload(byte[] content, URI uri) throws IOException {
    try (ObjectUpload upload = store.upload(uri)) {
      for (int at = 0, step = 1; at < content.length; at += step, step = step * 3 % 2_017 + 1) {
        upload.write(content, at, Math.min(step, content.length - at));
      }
      return upload.finish();
    }
  }

  private long requests(String start) {
    return gcs.requestsSoFar().stream().filter(r -> r.startsWith(start)).count();
  }

  private long composes() {
    return gcs.requestsSoFar().stream().filter(r -> r.contains("/compose?")).count();
  }

  private Integer componentCount() {
    return gcs.client().get(BlobId.of("bucket", "out/eurusd.parquet")).getComponentCount();
  }

  private List<String> objects() throws IOException {
    return store.list(URI.create("gs://bucket/")).stream().map(i -> i.uri().toString()).toList();
  }

  @Test
  void aBigObject_goesUpInParts_andComposesToTheBytesWritten() throws IOException {
    byte[] content = bytes(5 * PART + 500);

    ObjectInfo info = upload(content);

    assertThat(gcs.content("out/eurusd.parquet")).isEqualTo(content);
    assertThat(info.size()).isEqualTo(content.length);
    assertThat(info.crc32c()).isEqualTo(Crc32c.of(content));
    assertThat(store.stat(target).orElseThrow().generation()).isEqualTo(info.generation());
    // Six parts, each one resumable upload, one compose, then the six parts deleted.
    assertThat(requests("POST /upload/")).isEqualTo(6);
    assertThat(composes()).isEqualTo(1);
    assertThat(componentCount()).isEqualTo(6);
    assertThat(requests("DELETE ")).isEqualTo(6);
    assertThat(objects()).containsExactly(target.toString());
  }

  @Test
  void moreThan32Parts_composeInLevels() throws IOException {
    byte[] content = bytes(70 * PART);

    ObjectInfo info = upload(content);

    assertThat(gcs.content("out/eurusd.parquet")).isEqualTo(content);
    assertThat(info.crc32c()).isEqualTo(Crc32c.of(content));
    assertThat(requests("POST /upload/")).isEqualTo(70);
    // 32 + 32 + 6 parts into three intermediates, then those three into the object.
    assertThat(composes()).isEqualTo(4);
    assertThat(componentCount()).isEqualTo(70);
    assertThat(requests("DELETE ")).isEqualTo(70 + 3);
    assertThat(objects()).containsExactly(target.toString());
  }

  @Test
  void anObjectOfAtMostOnePart_isOnePlainUpload() throws IOException {
    for (int size : new int[] {0, 10, PART}) {
      byte[] content = bytes(size);
      gcs.requests.clear();

      ObjectInfo info = upload(content, URI.create("gs://bucket/out/small-" + size));

      assertThat(gcs.content("out/small-" + size)).isEqualTo(content);
      assertThat(info.crc32c()).isEqualTo(Crc32c.of(content));
      assertThat(requests("POST /upload/")).as("size %d", size).isEqualTo(1);
      assertThat(composes()).isZero();
      assertThat(requests("DELETE ")).isZero();
    }
    assertThat(objects()).hasSize(3);
  }

  @Test
  void anAbandonedUpload_deletesItsParts_andTheObjectNeverAppears() throws IOException {
    byte[] content = bytes(4 * PART + 1);

    try (ObjectUpload upload = store.upload(target)) {
      upload.write(content);
    }

    assertThat(requests("POST /upload/")).isEqualTo(4);
    assertThat(composes()).isZero();
    assertThat(requests("DELETE ")).isEqualTo(4);
    assertThat(objects()).isEmpty();
    assertThat(store.stat(target)).isEmpty();
  }

  @Test
  void aRefusedCompose_failsTheUpload_deletesItsParts_andLeavesTheObjectAsItWas()
      throws IOException {
    byte[] before = bytes(10);
    store.write(target, before, WritePrecondition.none());
    gcs.requests.clear();

    // A second write of the name within the second answers 429 (the fake's clock stands still).
    assertThrows(IOException.class, () -> upload(bytes(3 * PART + 7)));

    assertThat(gcs.rateLimited.get()).isEqualTo(1);
    assertThat(composes()).isEqualTo(1);
    assertThat(requests("DELETE ")).isEqualTo(4);
    assertThat(objects()).containsExactly(target.toString());
    assertThat(gcs.content("out/eurusd.parquet")).isEqualTo(before);
  }

  @Test
  void aComposeOfMoreThan32Sources_isRefused() throws IOException {
    Storage client = gcs.client();
    ComposeRequest.Builder request =
        ComposeRequest.newBuilder().setTarget(BlobInfo.newBuilder("bucket", "out/big").build());
    for (int i = 0; i <= GcsCompositeUpload.MAX_SOURCES; i++) {
      gcs.put("parts/" + i, bytes(3));
      request.addSource("parts/" + i);
    }

    StorageException refused =
        assertThrows(StorageException.class, () -> client.compose(request.build()));

    assertThat(refused.getCode()).isEqualTo(400);
    assertThat(store.stat(URI.create("gs://bucket/out/big"))).isEmpty();
  }
}

package ml.bqx.gcp.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import ml.bqx.wire.gcs.FakeGcsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a ranged read costs on the wire, counted by the loopback fake of the GCS JSON API: a read of
 * a size the caller knows is one media request, with no metadata request before it.
 */
class GcsRangedReadTest {
  private final FakeGcsServer gcs = new FakeGcsServer("bucket", () -> Instant.EPOCH);
  private final GcsObjectStore store = new GcsObjectStore(gcs.client());
  private final URI object = URI.create("gs://bucket/ranges/object.bin");

  GcsRangedReadTest() throws IOException {}

  @AfterEach
  void stop() {
    gcs.close();
  }

  private byte[] content() throws IOException {
    byte[] content = new byte[300_000];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31);
    }
    gcs.put("ranges/object.bin", content);
    return content;
  }

  @Test
  void readKnownRange_isOneMediaRequest_withNoMetadataRequest() throws IOException {
    byte[] content = content();
    byte[] into = new byte[100_000];

    int read = store.readKnownRange(object, content.length, 150_000, into, 0, into.length);

    assertThat(read).isEqualTo(into.length);
    assertThat(into).isEqualTo(Arrays.copyOfRange(content, 150_000, 250_000));
    assertThat(gcs.requestsSoFar())
        .singleElement()
        .satisfies(
            request -> assertThat(request).startsWith("GET /download/").contains("alt=media"));
  }

  @Test
  void readKnownRange_atTheEnd_readsWhatIsLeft() throws IOException {
    byte[] content = content();
    byte[] into = new byte[100_000];

    int read = store.readKnownRange(object, content.length, 250_000, into, 10, 90_000);

    assertThat(read).isEqualTo(50_000);
    assertThat(Arrays.copyOfRange(into, 10, 50_010))
        .isEqualTo(Arrays.copyOfRange(content, 250_000, 300_000));
    assertThat(gcs.requestsSoFar()).hasSize(1);
  }

  @Test
  void readRange_ofAnUnknownSize_asksForTheMetadataFirst() throws IOException {
    byte[] content = content();

    assertThat(store.readRange(object, 1_000, 10))
        .isEqualTo(Arrays.copyOfRange(content, 1_000, 1_010));
    assertThat(gcs.requestsSoFar()).hasSize(2);
  }
}

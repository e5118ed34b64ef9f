package ml.bqx.gcp.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import ml.bqx.core.cas.CasDocument;
import ml.bqx.core.port.ContentionBackoff;
import ml.bqx.core.port.ObjectGlob;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.RateLimitedException;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.wire.gcs.FakeGcsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * GCS as it is, on the loopback fake: one write a second per object (429 beyond), reads of the
 * generation just seen, listings filtered by the server. Time is a fake clock that only the
 * compare-and-swap's sleeper moves.
 */
class GcsRateLimitTest {
  private static final URI LEDGER = URI.create("gs://bucket/runs/r1/ledger.json");

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-12-01T09:00:00Z"));
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final FakeGcsServer gcs;
  private final GcsObjectStore store;

  /** A counter document, as the ledger and the slots are JSON documents. */
  record Counter(int value) {}

  GcsRateLimitTest() throws IOException {
    gcs = new FakeGcsServer("bucket", now::get);
    store = new GcsObjectStore(gcs.client());
  }

  @AfterEach
  void stop() {
    gcs.close();
  }

  private CasDocument<Counter> counter() {
    return new CasDocument<>(
        store,
        LEDGER,
        Counter.class,
        "the counter",
        duration -> {
          sleeps.add(duration);
          now.updateAndGet(t -> t.plus(duration));
        });
  }

  @Test
  void secondWriteOfAnObjectWithinASecond_isRateLimited() throws IOException {
    store.write(LEDGER, "{\"value\":1}".getBytes(UTF_8), WritePrecondition.none());

    RateLimitedException e =
        assertThrows(
            RateLimitedException.class,
            () -> store.write(LEDGER, "{\"value\":2}".getBytes(UTF_8), WritePrecondition.none()));

    assertThat(e.getMessage()).contains("gs://bucket/runs/r1/ledger.json").contains("rate");
    now.updateAndGet(t -> t.plus(FakeGcsServer.WRITE_INTERVAL));
    store.write(LEDGER, "{\"value\":3}".getBytes(UTF_8), WritePrecondition.none());
    assertThat(new String(gcs.content("runs/r1/ledger.json"), UTF_8)).isEqualTo("{\"value\":3}");
  }

  @Test
  void compareAndSwap_whenRateLimited_backsOffFromASecond_andConverges() throws IOException {
    counter().update(new Counter(0), c -> new Counter(c.value() + 1)); // written just now

    CasDocument.Update<Counter> update =
        counter().update(new Counter(0), c -> new Counter(c.value() + 1));

    assertThat(update.written()).isTrue();
    assertThat(update.after()).isEqualTo(new Counter(2));
    assertThat(counter().read()).contains(new Counter(2));
    assertThat(gcs.rateLimited.get()).isEqualTo(1);
    assertThat(store.contentionBackoff()).isEqualTo(ContentionBackoff.ONE_WRITE_A_SECOND);
    // GCS's one write a second: the first wait is a second, stretched by at most half at random
    assertThat(sleeps).hasSize(1);
    assertThat(sleeps.get(0)).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500));
  }

  @Test
  void compareAndSwap_whenAnotherWriterWinsAndTheObjectIsHot_reappliesTheChangeOnItsWrite()
      throws IOException {
    counter().update(new Counter(0), c -> new Counter(10));
    now.updateAndGet(t -> t.plusSeconds(5));
    boolean[] raced = {false};

    CasDocument.Update<Counter> update =
        counter()
            .update(
                null,
                c -> {
                  if (!raced[0]) {
                    raced[0] = true; // another function writes between our read and our write
                    try {
                      store.write(
                          LEDGER, "{\"value\":100}".getBytes(UTF_8), WritePrecondition.none());
                    } catch (IOException e) {
                      throw new IllegalStateException(e);
                    }
                  }
                  return new Counter(c.value() + 1);
                });

    // our first write met the other's second (429) or generation (412): a lost race either way
    assertThat(update.before()).isEqualTo(new Counter(100));
    assertThat(counter().read()).contains(new Counter(101));
    assertThat(sleeps).isNotEmpty().allMatch(d -> d.compareTo(Duration.ofSeconds(1)) >= 0);
  }

  @Test
  void read_asksForTheGenerationTheMetadataNamed() throws IOException {
    ObjectInfo written =
        store.write(LEDGER, "{\"value\":1}".getBytes(UTF_8), WritePrecondition.none());

    assertThat(store.read(LEDGER).orElseThrow().info().generation())
        .isEqualTo(written.generation());

    assertThat(gcs.requests)
        .filteredOn(r -> r.contains("alt=media"))
        .singleElement()
        .asString()
        .contains("generation=" + written.generation());
  }

  @Test
  void listWithAGlob_sendsMatchGlob_andGcsSendsBackTheLedgersOnly() throws IOException {
    gcs.put("runs/r1/ledger.json", new byte[] {1});
    gcs.put("runs/r2/ledger.json", new byte[] {2});
    for (int i = 0; i < 300; i++) {
      gcs.put("runs/r1/eurusd/checkpoints/t" + i + ".parquet", new byte[] {3});
    }

    List<ObjectInfo> ledgers =
        store.list(URI.create("gs://bucket/runs/"), ObjectGlob.of("*/ledger.json"));

    assertThat(ledgers)
        .extracting(info -> info.uri().toString())
        .containsExactly("gs://bucket/runs/r1/ledger.json", "gs://bucket/runs/r2/ledger.json");
    assertThat(gcs.objectsListed.get()).isEqualTo(2);
    assertThat(gcs.requests)
        .anyMatch(r -> r.startsWith("GET /storage/v1/b/bucket/o?") && r.contains("matchGlob="));
  }
}

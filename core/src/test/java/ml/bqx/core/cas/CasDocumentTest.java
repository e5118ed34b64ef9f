package ml.bqx.core.cas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.message.RunId;
import ml.bqx.core.port.ContentionBackoff;
import ml.bqx.core.testing.MemoryObjectStore;
import org.junit.jupiter.api.Test;

/**
 * The compare-and-swap document: creation, a lost race and its backoff, no-op changes, a missing
 * document. Threads and processes racing on a real store's files are the folder store's test.
 */
class CasDocumentTest {
  private static final URI COUNTER = URI.create("mem://staging/counter.json");

  /** A counter document. */
  record Counter(int value) {}

  private final MemoryObjectStore store =
      new MemoryObjectStore(
          new ContentionBackoff(Duration.ofMillis(5), Duration.ofMillis(250), 400));
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  private CasDocument<Counter> counter() {
    return new CasDocument<>(store, COUNTER, Counter.class, "the counter", sleeps::add);
  }

  @Test
  void update_createsTheDocumentFromItsAbsentValue_thenChangesIt() throws IOException {
    CasDocument.Update<Counter> first =
        counter().update(new Counter(0), c -> new Counter(c.value() + 1));
    CasDocument.Update<Counter> second =
        counter().update(new Counter(0), c -> new Counter(c.value() + 1));

    assertThat(first.written()).isTrue();
    assertThat(second.before()).isEqualTo(new Counter(1));
    assertThat(counter().read()).contains(new Counter(2));
  }

  @Test
  void update_afterALostRace_reappliesTheChange_andBacksOffAsTheStoreAsks() throws IOException {
    counter().update(new Counter(0), c -> new Counter(1));
    boolean[] raced = {false};

    counter()
        .update(
            null,
            c -> {
              if (!raced[0]) {
                raced[0] = true; // another writer gets in between our read and our write
                try {
                  counter().update(null, other -> new Counter(other.value() + 10));
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              }
              return new Counter(c.value() + 1);
            });

    assertThat(counter().read()).contains(new Counter(12));
    // The store's first wait, stretched by up to half at random.
    assertThat(sleeps)
        .singleElement()
        .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(5), Duration.ofMillis(7)));
  }

  @Test
  void update_thatReturnsTheSameInstance_writesNothing() throws IOException {
    CasDocument.Update<Counter> update = counter().update(new Counter(0), c -> c);
    assertThat(update.written()).isFalse();
    assertThat(counter().read()).isEmpty();
  }

  @Test
  void update_ofAMissingLedger_namesTheRun() {
    LedgerStore ledgers = new LedgerStore(store, URI.create("mem://staging/"));
    IOException e = assertThrows(IOException.class, () -> ledgers.update(RunId.of("nope"), l -> l));
    assertThat(e).hasMessageStartingWith("the ledger of run 'nope' does not exist at ");
  }
}

package ml.bqx.local.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import ml.bqx.core.cas.CasDocument;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.message.RunId;
import ml.bqx.local.store.FolderObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compare-and-swap document on the folder store: creation, no-op changes, a missing document.
 */
class CasDocumentTest {
  private static final CasDocument.Backoff FAST =
      new CasDocument.Backoff(Duration.ofMillis(2), Duration.ofMillis(10), 50);

  @TempDir Path dir;

  /** A counter document. */
  record Counter(int value) {}

  private CasDocument<Counter> counter() {
    return new CasDocument<>(
        new FolderObjectStore(),
        dir.resolve("counter.json").toUri(),
        Counter.class,
        FAST,
        "the counter");
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
  void update_thatReturnsTheSameInstance_writesNothing() throws IOException {
    CasDocument.Update<Counter> update = counter().update(new Counter(0), c -> c);
    assertThat(update.written()).isFalse();
    assertThat(counter().read()).isEmpty();
  }

  @Test
  void update_ofAMissingLedger_namesTheRun() {
    LedgerStore ledgers = new LedgerStore(new FolderObjectStore(), dir.toUri());
    IOException e = assertThrows(IOException.class, () -> ledgers.update(RunId.of("nope"), l -> l));
    assertThat(e).hasMessageStartingWith("the ledger of run 'nope' does not exist at ");
  }
}

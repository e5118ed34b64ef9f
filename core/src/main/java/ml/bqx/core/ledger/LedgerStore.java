package ml.bqx.core.ledger;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.RunId;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.port.StoreUris;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.WritePrecondition;

/**
 * Keeps run ledgers as JSON objects in the staging store and changes them only by compare-and-swap
 * on the object's generation, retried with jittered backoff when another writer got there first.
 */
public final class LedgerStore {
  /** GCS sustains about one write a second per object: back off from there, with jitter. */
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(20);

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  private static final int MAX_TRIES = 200;

  private final ObjectStore store;
  private final URI stagingRoot;

  public LedgerStore(ObjectStore store, URI stagingRoot) {
    this.store = store;
    this.stagingRoot = stagingRoot;
  }

  /** Where a run's objects live: {@code <staging>/runs/<run>/}. */
  public URI runPrefix(RunId run) {
    return StoreUris.resolve(stagingRoot, "runs/" + run.value() + "/");
  }

  public URI ledgerUri(RunId run) {
    return StoreUris.resolve(stagingRoot, "runs/" + run.value() + "/ledger.json");
  }

  public Optional<RunLedger> load(RunId run) throws IOException {
    Optional<StoredObject> stored = store.read(ledgerUri(run));
    return stored.map(s -> Json.fromBytes(s.content(), RunLedger.class));
  }

  /**
   * Creates a run's ledger.
   *
   * @throws PreconditionFailedException if the run already exists
   */
  public RunLedger create(RunLedger ledger) throws IOException {
    store.write(ledgerUri(ledger.run()), Json.toBytes(ledger), WritePrecondition.doesNotExist());
    return ledger;
  }

  /**
   * Applies a pure change by compare-and-swap, re-reading and re-applying it after every lost race.
   * A change that returns the same ledger instance writes nothing.
   */
  public Update update(RunId run, UnaryOperator<RunLedger> change) throws IOException {
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
      Optional<StoredObject> stored = store.read(ledgerUri(run));
      if (stored.isEmpty()) {
        throw new IOException("run '" + run + "' has no ledger at " + ledgerUri(run));
      }
      RunLedger before = Json.fromBytes(stored.get().content(), RunLedger.class);
      RunLedger after = change.apply(before);
      if (after == before) {
        return new Update(before, after, false);
      }
      try {
        ObjectInfo written =
            store.write(
                ledgerUri(run),
                Json.toBytes(after),
                WritePrecondition.generationMatches(stored.get().info().generation()));
        assert written.generation() != stored.get().info().generation();
        return new Update(before, after, true);
      } catch (PreconditionFailedException lost) {
        sleep(jitter(backoff));
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
    throw new IOException(
        "ledger of run '" + run + "' is contended: gave up after " + MAX_TRIES + " tries");
  }

  private static Duration jitter(Duration backoff) {
    return Duration.ofMillis(
        ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2, backoff.toMillis() + 1));
  }

  private static void sleep(Duration duration) throws IOException {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting to retry a ledger write");
    }
  }

  /** The result of one update: the ledger before and after, and whether anything was written. */
  public record Update(RunLedger before, RunLedger after, boolean written) {}
}

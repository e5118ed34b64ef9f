package ml.bqx.core.cas;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import ml.bqx.core.json.Json;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.WritePrecondition;

/**
 * One JSON document in the object store (a run ledger, the project's slots) changed only by
 * compare-and-swap on the object's generation: read, apply a pure change, write if nobody wrote
 * since, else back off with jitter and try again.
 *
 * @param <T> the immutable document type; a change that returns the same instance writes nothing
 */
public final class CasDocument<T> {
  private final ObjectStore store;
  private final URI uri;
  private final Class<T> type;
  private final Backoff backoff;
  private final String what;

  /**
   * @param what names the document in errors, e.g. "the ledger of run 'r1'"
   */
  public CasDocument(ObjectStore store, URI uri, Class<T> type, Backoff backoff, String what) {
    this.store = store;
    this.uri = uri;
    this.type = type;
    this.backoff = backoff;
    this.what = what;
  }

  /** How long to wait after a lost race: doubling from {@code first} up to {@code max}. */
  public record Backoff(Duration first, Duration max, int maxTries) {}

  /** The result of one update: the document before and after, and whether anything was written. */
  public record Update<T>(T before, T after, boolean written) {}

  public URI uri() {
    return uri;
  }

  public Optional<T> read() throws IOException {
    return store.read(uri).map(s -> Json.fromBytes(s.content(), type));
  }

  /**
   * Applies the change by compare-and-swap, re-reading and re-applying it after every lost race.
   *
   * @param ifAbsent the document when there is none yet (then created only if still absent), or
   *     null if a missing document is an error
   * @throws IOException if the document is missing and {@code ifAbsent} is null, or the races go on
   *     past the last try
   */
  public Update<T> update(T ifAbsent, UnaryOperator<T> change) throws IOException {
    Duration wait = backoff.first();
    for (int tries = 1; tries <= backoff.maxTries(); tries++) {
      Optional<StoredObject> stored = store.read(uri);
      if (stored.isEmpty() && ifAbsent == null) {
        throw new IOException(what + " does not exist at " + uri);
      }
      T before = stored.isPresent() ? Json.fromBytes(stored.get().content(), type) : ifAbsent;
      T after = change.apply(before);
      if (after == before) {
        return new Update<>(before, after, false);
      }
      WritePrecondition precondition =
          stored.isEmpty()
              ? WritePrecondition.doesNotExist()
              : WritePrecondition.generationMatches(stored.get().info().generation());
      try {
        store.write(uri, Json.toBytes(after), precondition);
        return new Update<>(before, after, true);
      } catch (PreconditionFailedException lost) {
        sleepAbout(wait);
        wait =
            wait.multipliedBy(2).compareTo(backoff.max()) > 0
                ? backoff.max()
                : wait.multipliedBy(2);
      }
    }
    throw new IOException(what + " is contended: gave up after " + backoff.maxTries() + " tries");
  }

  private void sleepAbout(Duration wait) throws IOException {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(wait.toMillis() / 2, wait.toMillis() + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry a write of " + what);
    }
  }
}

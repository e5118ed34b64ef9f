package ml.bqx.core.cas;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import ml.bqx.core.json.Json;
import ml.bqx.core.port.ContentionBackoff;
import ml.bqx.core.port.DamagedObjectException;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.port.RateLimitedException;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.core.text.OneLine;

/**
 * One JSON document in the object store (a run ledger, the project's slots) changed only by
 * compare-and-swap on the object's generation: read, apply a pure change, write if nobody wrote
 * since, else back off with jitter, as long as the store asks ({@link
 * ObjectStore#contentionBackoff}), and try again. A write refused for its rate (GCS's 429) is a
 * lost race too: somebody else is writing the object.
 *
 * @param <T> the immutable document type; a change that returns the same instance writes nothing
 */
public final class CasDocument<T> {
  /** Waits between tries; tests pass one that only records. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  private final ObjectStore store;
  private final URI uri;
  private final Class<T> type;
  private final String what;
  private final Sleeper sleeper;

  /**
   * @param what names the document in errors, e.g. "the ledger of run 'r1'"
   */
  public CasDocument(ObjectStore store, URI uri, Class<T> type, String what) {
    this(store, uri, type, what, Sleeper.REAL);
  }

  public CasDocument(ObjectStore store, URI uri, Class<T> type, String what, Sleeper sleeper) {
    this.store = store;
    this.uri = uri;
    this.type = type;
    this.what = what;
    this.sleeper = sleeper;
  }

  /** The result of one update: the document before and after, and whether anything was written. */
  public record Update<T>(T before, T after, boolean written) {}

  public URI uri() {
    return uri;
  }

  /**
   * The document; empty if there is none.
   *
   * @throws DamagedObjectException if the object is damaged or is not such a document, naming it
   */
  public Optional<T> read() throws IOException {
    Optional<StoredObject> stored = stored();
    return stored.isEmpty() ? Optional.empty() : Optional.of(parse(stored.get()));
  }

  /**
   * Creates the document, only if there is none yet.
   *
   * @throws PreconditionFailedException if there is one
   */
  public void create(T document) throws IOException {
    try {
      store.write(uri, Json.toBytes(document), WritePrecondition.doesNotExist());
    } catch (DamagedObjectException damaged) {
      throw refused(damaged);
    }
  }

  private Optional<StoredObject> stored() throws IOException {
    try {
      return store.read(uri);
    } catch (DamagedObjectException damaged) {
      throw refused(damaged);
    }
  }

  /** A stored object that is not such a document is damaged: no change can start from it. */
  private T parse(StoredObject stored) throws DamagedObjectException {
    try {
      return Json.fromBytes(stored.content(), type);
    } catch (IllegalArgumentException notThisDocument) {
      throw refused(
          new DamagedObjectException(
              uri + " is " + OneLine.of(notThisDocument.getMessage()), notThisDocument));
    }
  }

  /** The store's reason (which names the object), prefixed with what this document is. */
  private DamagedObjectException refused(DamagedObjectException damaged) {
    return new DamagedObjectException(
        what + " is refused: " + OneLine.of(damaged.getMessage()), damaged);
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
    ContentionBackoff backoff = store.contentionBackoff();
    for (int tries = 1; tries <= backoff.maxTries(); tries++) {
      // The content and the generation of one read belong together: the store reads both at once.
      Optional<StoredObject> stored = stored();
      if (stored.isEmpty() && ifAbsent == null) {
        throw new IOException(what + " does not exist at " + uri);
      }
      T before = stored.isPresent() ? parse(stored.get()) : ifAbsent;
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
      } catch (PreconditionFailedException | RateLimitedException lost) {
        sleepAbout(backoff.wait(tries));
      } catch (DamagedObjectException damaged) {
        throw refused(damaged);
      }
    }
    throw new IOException(what + " is contended: gave up after " + backoff.maxTries() + " tries");
  }

  /** The wait stretched by up to half at random, so that racing writers spread out. */
  private void sleepAbout(Duration wait) throws IOException {
    long millis = wait.toMillis();
    try {
      sleeper.sleep(
          Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(millis / 2 + 1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting to retry a write of " + what);
    }
  }
}

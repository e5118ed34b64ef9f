package ml.bqx.core.progress;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import ml.bqx.core.json.Json;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.WritePrecondition;

/**
 * The progress objects of a run's jobs in the staging store ({@link StoreLayout#progress}): the job
 * writes its own, {@code bqx status} and the local runner read those of the pairs running.
 */
public final class ProgressStore {
  private final ObjectStore store;
  private final URI staging;

  public ProgressStore(ObjectStore store, URI staging) {
    this.store = store;
    this.staging = staging;
  }

  public void write(PairProgress progress) throws IOException {
    store.write(
        StoreLayout.progress(staging, progress.run(), progress.pair()),
        Json.toBytes(progress),
        WritePrecondition.none());
  }

  /** Removes the pair's progress object (its job has ended). */
  public void delete(RunId run, Pair pair) throws IOException {
    store.delete(StoreLayout.progress(staging, run, pair));
  }

  /** The pair's progress object, if there is one that parses (a damaged one is no progress). */
  public Optional<PairProgress> read(RunId run, Pair pair) throws IOException {
    Optional<StoredObject> stored = store.read(StoreLayout.progress(staging, run, pair));
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.fromBytes(stored.get().content(), PairProgress.class));
    } catch (IllegalArgumentException damaged) {
      return Optional.empty();
    }
  }

  /** The progress of every pair that holds a slot, of its current attempt: one read per pair. */
  public Map<Pair, PairProgress> running(RunLedger ledger) throws IOException {
    Map<Pair, PairProgress> live = new LinkedHashMap<>();
    for (PairRecord record : ledger.pairs()) {
      if (record.state().holdsSlot()) {
        read(ledger.run(), record.pair())
            .filter(p -> p.attempt() == record.attempt())
            .ifPresent(p -> live.put(record.pair(), p));
      }
    }
    return live;
  }
}

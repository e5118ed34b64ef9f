package ml.bqx.core.ledger;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import ml.bqx.core.cas.CasDocument;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.message.RunId;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.PreconditionFailedException;

/**
 * Keeps run ledgers as JSON objects in the staging store and changes them only by compare-and-swap
 * on the object's generation, retried with jittered backoff (as long as the store asks) when
 * another writer got there first.
 */
public final class LedgerStore {
  private final ObjectStore store;
  private final URI stagingRoot;

  public LedgerStore(ObjectStore store, URI stagingRoot) {
    this.store = store;
    this.stagingRoot = stagingRoot;
  }

  /**
   * Every run with a ledger, listing the ledgers only: a run in flight keeps about 1,300
   * checkpoints and markers per pair beside its ledger, and a failed pair's stay 30 days.
   */
  public List<RunId> runs() throws IOException {
    List<RunId> runs = new ArrayList<>();
    for (ObjectInfo info : store.list(StoreLayout.runs(stagingRoot), StoreLayout.ledgers())) {
      runs.add(StoreLayout.runOfLedger(info.uri()));
    }
    return runs;
  }

  public URI ledgerUri(RunId run) {
    return StoreLayout.ledger(stagingRoot, run);
  }

  public Optional<RunLedger> load(RunId run) throws IOException {
    return document(run).read();
  }

  /**
   * Creates a run's ledger.
   *
   * @throws PreconditionFailedException if the run already exists
   * @throws ml.bqx.core.port.DamagedObjectException if its ledger is there but damaged
   */
  public RunLedger create(RunLedger ledger) throws IOException {
    document(ledger.run()).create(ledger);
    return ledger;
  }

  /**
   * Applies a pure change by compare-and-swap, re-reading and re-applying it after every lost race.
   * A change that returns the same ledger instance writes nothing.
   */
  public Update update(RunId run, UnaryOperator<RunLedger> change) throws IOException {
    CasDocument.Update<RunLedger> update = document(run).update(null, change);
    return new Update(update.before(), update.after(), update.written());
  }

  private CasDocument<RunLedger> document(RunId run) {
    return new CasDocument<>(
        store, ledgerUri(run), RunLedger.class, "the ledger of run '" + run + "'");
  }

  /** The result of one update: the ledger before and after, and whether anything was written. */
  public record Update(RunLedger before, RunLedger after, boolean written) {}
}

package ml.bqx.local.ledger;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.store.FolderObjectStore;

/**
 * Drives one pair round QUEUED -> STARTING -> RUNNING -> QUEUED (next attempt), one
 * compare-and-swap per step; run in threads and, through {@link #main}, in child processes.
 */
final class LedgerWorker {
  static final Instant FIXED = Instant.parse("2026-11-28T00:00:00Z");

  private LedgerWorker() {}

  /** The next step of a pair, as a pure change of the ledger. */
  static RunLedger step(RunLedger ledger, Pair pair) {
    PairRecord current = ledger.pair(pair).orElseThrow();
    PairState next =
        switch (current.state()) {
          case QUEUED -> PairState.STARTING;
          case STARTING -> PairState.RUNNING;
          default -> PairState.QUEUED;
        };
    return ledger.transition(
        pair,
        current.attempt(),
        next,
        FIXED,
        "worker",
        r -> next == PairState.QUEUED ? r.withAttempt(r.attempt() + 1) : r);
  }

  static void run(LedgerStore store, RunId run, Pair pair, int steps) throws IOException {
    for (int i = 0; i < steps; i++) {
      LedgerStore.Update update = store.update(run, ledger -> step(ledger, pair));
      if (!update.written()) {
        throw new IllegalStateException("step " + i + " of " + pair + " changed nothing");
      }
    }
  }

  /** Arguments: staging root URI, run id, pair, steps. */
  public static void main(String[] args) throws IOException {
    LedgerStore store = new LedgerStore(new FolderObjectStore(), URI.create(args[0]));
    run(store, RunId.of(args[1]), Pair.parse(args[2]), Integer.parseInt(args[3]));
  }
}

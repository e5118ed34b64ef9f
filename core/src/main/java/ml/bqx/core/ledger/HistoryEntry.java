package ml.bqx.core.ledger;

import java.time.Instant;
import ml.bqx.core.pair.Pair;

/** One applied transition, kept forever in the ledger: the run's audit trail and timeline. */
public record HistoryEntry(
    Instant at, Pair pair, int attempt, PairState from, PairState to, String reason) {}

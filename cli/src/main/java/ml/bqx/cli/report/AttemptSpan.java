package ml.bqx.cli.report;

import java.time.Instant;
import ml.bqx.core.ledger.PairState;

/** One attempt of one pair on the timeline: when it took a slot, when it ended, and how. */
record AttemptSpan(int attempt, Instant start, Instant end, PairState outcome, String reason) {
  boolean failed() {
    return outcome == PairState.FAILED
        || outcome == PairState.CANCELLED
        || (outcome == PairState.QUEUED && end != null);
  }
}

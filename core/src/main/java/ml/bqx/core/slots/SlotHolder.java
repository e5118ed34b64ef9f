package ml.bqx.core.slots;

import java.time.Instant;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/** One attempt of one pair of one run, holding (or waiting for) a project-wide slot. */
public record SlotHolder(RunId run, Pair pair, int attempt, Instant since) {
  /** True for the same (run, pair, attempt), whenever it was recorded. */
  public boolean sameAttempt(RunId otherRun, Pair otherPair, int otherAttempt) {
    return run.equals(otherRun) && pair.equals(otherPair) && attempt == otherAttempt;
  }
}

package ml.bqx.core.ledger;

import java.util.Set;

/** Where one pair of a run is. Only the moves in {@link #canMoveTo} are legal. */
public enum PairState {
  /** Waiting for a free slot. */
  QUEUED,
  /** Holds a slot; its execution is being launched. */
  STARTING,
  /** Holds a slot; its execution is known. */
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** True while the pair holds one of the run's slots. */
  public boolean holdsSlot() {
    return this == STARTING || this == RUNNING;
  }

  public boolean isFinished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** The state machine's edges; a move not listed here is ignored, never applied. */
  boolean canMoveTo(PairState next) {
    Set<PairState> allowed =
        switch (this) {
          case QUEUED -> Set.of(STARTING, CANCELLED);
          case STARTING -> Set.of(RUNNING, SUCCEEDED, FAILED, QUEUED, CANCELLED);
          case RUNNING -> Set.of(SUCCEEDED, FAILED, QUEUED, CANCELLED);
          case FAILED, CANCELLED -> Set.of(QUEUED);
          case SUCCEEDED -> Set.of();
        };
    return allowed.contains(next);
  }
}

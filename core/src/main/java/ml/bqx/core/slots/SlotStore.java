package ml.bqx.core.slots;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import ml.bqx.core.cas.CasDocument;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectStore;

/**
 * Keeps the project-wide cap across runs: {@code <staging>/slots.json}, changed only by
 * compare-and-swap on its generation. A slot is taken before a pair becomes STARTING and given back
 * when the attempt ends; giving back is idempotent, so nothing leaks when a step repeats.
 */
public final class SlotStore {
  private final CasDocument<ProjectSlots> document;
  private final Clock clock;

  public SlotStore(ObjectStore store, URI stagingRoot, Clock clock) {
    this.document =
        new CasDocument<>(
            store, StoreLayout.slots(stagingRoot), ProjectSlots.class, "the project's slots");
    this.clock = clock;
  }

  /** What came of asking for a slot. */
  public enum Acquisition {
    /** The slot is now this caller's. */
    ACQUIRED,
    /** Another delivery of the same attempt already holds it: this one must do nothing. */
    ALREADY_HELD,
    /** Every slot is taken; the attempt is now on the waiting list. */
    FULL,
    /**
     * Another run, or an older attempt, holds a slot for the same pair, whose output file is the
     * same: the attempt is now on the waiting list, so that one pair is never built twice at once.
     */
    PAIR_BUSY
  }

  public ProjectSlots read() throws IOException {
    return document.read().orElse(ProjectSlots.empty());
  }

  /** Takes a slot for one attempt if fewer than {@code cap} are held; else puts it on the list. */
  public Acquisition acquire(RunId run, Pair pair, int attempt, int cap) throws IOException {
    Acquisition[] result = new Acquisition[1];
    update(
        slots -> {
          if (slots.holds(run, pair, attempt)) {
            result[0] = Acquisition.ALREADY_HELD;
            return slots;
          }
          SlotHolder who = new SlotHolder(run, pair, attempt, clock.instant());
          if (slots.holdsPair(pair)) {
            result[0] = Acquisition.PAIR_BUSY;
            return slots.withWaiter(who);
          }
          if (slots.holders().size() >= cap) {
            result[0] = Acquisition.FULL;
            return slots.withWaiter(who);
          }
          result[0] = Acquisition.ACQUIRED;
          return slots.withHolder(who);
        });
    return result[0];
  }

  /** Gives back the slot of one attempt; true if it was held. Harmless to repeat. */
  public boolean release(RunId run, Pair pair, int attempt) throws IOException {
    return releaseAll(h -> h.sameAttempt(run, pair, attempt)) > 0;
  }

  /** Drops every holder and waiter matching; returns how many holders went. */
  public int releaseAll(Predicate<SlotHolder> gone) throws IOException {
    int[] released = new int[1];
    update(
        slots -> {
          released[0] = (int) slots.holders().stream().filter(gone).count();
          return slots.without(gone);
        });
    return released[0];
  }

  /**
   * Takes waiters off the list, oldest first, as many as there are free slots, leaving those whose
   * pair is being built meanwhile: the caller publishes their pair messages so that they ask again.
   */
  public List<SlotHolder> takeWaiters(int cap) throws IOException {
    List<SlotHolder> taken = new ArrayList<>();
    update(
        slots -> {
          taken.clear();
          int free = slots.free(cap);
          if (free == 0 || slots.waiters().isEmpty()) {
            return slots;
          }
          for (SlotHolder waiter : slots.waiters()) {
            boolean pairTaken = taken.stream().anyMatch(t -> t.pair().equals(waiter.pair()));
            if (taken.size() < free && !pairTaken && !slots.holdsPair(waiter.pair())) {
              taken.add(waiter);
            }
          }
          List<SlotHolder> out = List.copyOf(taken);
          return slots.without(out::contains);
        });
    return taken;
  }

  private void update(UnaryOperator<ProjectSlots> change) throws IOException {
    document.update(ProjectSlots.empty(), change);
  }
}

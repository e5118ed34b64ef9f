package ml.bqx.core.slots;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/**
 * The project-wide slot table ({@code <staging>/slots.json}): who holds one of the project's
 * execution slots, across every run, and who waits for one. Immutable; changed by compare-and-swap.
 */
public record ProjectSlots(String schema, List<SlotHolder> holders, List<SlotHolder> waiters) {
  public static final String SCHEMA = "bqx.slots/1";

  public ProjectSlots {
    schema = schema == null ? SCHEMA : schema;
    holders = holders == null ? List.of() : List.copyOf(holders);
    waiters = waiters == null ? List.of() : List.copyOf(waiters);
  }

  static ProjectSlots empty() {
    return new ProjectSlots(SCHEMA, List.of(), List.of());
  }

  boolean holds(RunId run, Pair pair, int attempt) {
    return holders.stream().anyMatch(h -> h.sameAttempt(run, pair, attempt));
  }

  /** True if any run's attempt holds a slot for this pair. */
  boolean holdsPair(Pair pair) {
    return holders.stream().anyMatch(h -> h.pair().equals(pair));
  }

  int free(int cap) {
    return Math.max(0, cap - holders.size());
  }

  ProjectSlots withHolder(SlotHolder holder) {
    List<SlotHolder> more = new ArrayList<>(holders);
    more.add(holder);
    List<SlotHolder> stillWaiting = new ArrayList<>(waiters);
    stillWaiting.removeIf(w -> w.sameAttempt(holder.run(), holder.pair(), holder.attempt()));
    return new ProjectSlots(schema, more, stillWaiting);
  }

  ProjectSlots withWaiter(SlotHolder waiter) {
    if (waiters.stream()
        .anyMatch(w -> w.sameAttempt(waiter.run(), waiter.pair(), waiter.attempt()))) {
      return this;
    }
    List<SlotHolder> more = new ArrayList<>(waiters);
    more.add(waiter);
    return new ProjectSlots(schema, holders, more);
  }

  /** This table without the holders and waiters matching; the same instance if none match. */
  ProjectSlots without(Predicate<SlotHolder> gone) {
    if (holders.stream().noneMatch(gone) && waiters.stream().noneMatch(gone)) {
      return this;
    }
    return new ProjectSlots(
        schema,
        holders.stream().filter(gone.negate()).toList(),
        waiters.stream().filter(gone.negate()).toList());
  }
}

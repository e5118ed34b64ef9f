package ml.bqx.core.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/**
 * One run's state: every pair's line, the run's settings and the history of every transition.
 * Immutable: each transition returns a new ledger, or this same instance when the transition is
 * illegal or concerns another attempt (so a duplicate or late delivery changes nothing).
 */
public record RunLedger(
    String schema,
    RunId run,
    Instant createdAt,
    RunSettings settings,
    List<PairRecord> pairs,
    List<HistoryEntry> history,
    boolean cancelled,
    Instant summaryPublishedAt) {
  public static final String SCHEMA = "bqx.ledger/1";

  public RunLedger {
    schema = schema == null ? SCHEMA : schema;
    pairs = List.copyOf(pairs);
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** A new run with every pair queued, in the order given (the order promotion follows). */
  public static RunLedger create(RunId run, List<Pair> pairs, RunSettings settings, Instant now) {
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("a run needs at least one pair");
    }
    List<PairRecord> records = new ArrayList<>();
    List<HistoryEntry> history = new ArrayList<>();
    for (Pair pair : new java.util.LinkedHashSet<>(pairs)) {
      records.add(PairRecord.queued(pair, now));
      history.add(new HistoryEntry(now, pair, 1, null, PairState.QUEUED, "run created"));
    }
    return new RunLedger(SCHEMA, run, now, settings, records, history, false, null);
  }

  public Optional<PairRecord> pair(Pair pair) {
    return pairs.stream().filter(r -> r.pair().equals(pair)).findFirst();
  }

  /** Pairs holding a slot now (STARTING or RUNNING). */
  public long slotsInUse() {
    return pairs.stream().filter(r -> r.state().holdsSlot()).count();
  }

  public long freeSlots() {
    return Math.max(0, settings.maxConcurrent() - slotsInUse());
  }

  public long count(PairState state) {
    return pairs.stream().filter(r -> r.state() == state).count();
  }

  /** Queued pairs in the order the run listed them: the next to promote come first. */
  public List<PairRecord> queued() {
    return pairs.stream().filter(r -> r.state() == PairState.QUEUED).toList();
  }

  /** True when no pair is queued or holds a slot. */
  public boolean isFinished() {
    return pairs.stream().allMatch(r -> r.state().isFinished());
  }

  /**
   * Moves a pair of a given attempt to a new state, changing its line with {@code change}. A move
   * the state machine forbids, or one for another attempt, returns this ledger unchanged.
   */
  public RunLedger transition(
      Pair pair,
      int attempt,
      PairState to,
      Instant now,
      String reason,
      UnaryOperator<PairRecord> change) {
    return transition(pair, attempt, to, now, reason, Map.of(), change);
  }

  /**
   * The same, for a move that ends an attempt: its history entry keeps what the attempt measured,
   * so that every attempt's figures stay in the ledger, not only the last one's.
   */
  public RunLedger transition(
      Pair pair,
      int attempt,
      PairState to,
      Instant now,
      String reason,
      Map<String, Double> measured,
      UnaryOperator<PairRecord> change) {
    Optional<PairRecord> current = pair(pair);
    if (current.isEmpty()
        || current.get().attempt() != attempt
        || !current.get().state().canMoveTo(to)) {
      return this;
    }
    PairRecord before = current.get();
    PairRecord after = change.apply(before.withState(to));
    List<PairRecord> records = new ArrayList<>(pairs);
    records.replaceAll(r -> r.pair().equals(pair) ? after : r);
    List<HistoryEntry> entries = new ArrayList<>(history);
    entries.add(new HistoryEntry(now, pair, after.attempt(), before.state(), to, reason, measured));
    return new RunLedger(
        schema, run, createdAt, settings, records, entries, cancelled, summaryPublishedAt);
  }

  /** Adds pairs to a run (as QUEUED, attempt 1); pairs already in it are left as they are. */
  public RunLedger withPairsAdded(List<Pair> more, Instant now) {
    List<PairRecord> records = new ArrayList<>(pairs);
    List<HistoryEntry> entries = new ArrayList<>(history);
    for (Pair pair : more) {
      if (pair(pair).isEmpty() && records.stream().noneMatch(r -> r.pair().equals(pair))) {
        records.add(PairRecord.queued(pair, now));
        entries.add(new HistoryEntry(now, pair, 1, null, PairState.QUEUED, "pair added"));
      }
    }
    if (records.size() == pairs.size()) {
      return this;
    }
    return new RunLedger(
        schema, run, createdAt, settings, records, entries, cancelled, summaryPublishedAt);
  }

  public RunLedger markCancelled() {
    return cancelled
        ? this
        : new RunLedger(schema, run, createdAt, settings, pairs, history, true, summaryPublishedAt);
  }

  public RunLedger reopened() {
    return !cancelled && summaryPublishedAt == null
        ? this
        : new RunLedger(schema, run, createdAt, settings, pairs, history, false, null);
  }

  public RunLedger markSummaryPublished(Instant now) {
    return summaryPublishedAt != null
        ? this
        : new RunLedger(schema, run, createdAt, settings, pairs, history, cancelled, now);
  }

  /** Counts per state, in state order, for summaries and status lines. */
  public Map<PairState, Long> counts() {
    Map<PairState, Long> counts = new LinkedHashMap<>();
    for (PairState state : PairState.values()) {
      counts.put(state, count(state));
    }
    return counts;
  }
}

package ml.bqx.core.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.port.DamagedObjectException;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.slots.ProjectSlots;
import ml.bqx.core.slots.SlotHolder;
import ml.bqx.core.slots.SlotStore;
import ml.bqx.core.text.OneLine;

/**
 * Recovers what lost messages and crashes leave behind (fired every few minutes): an execution that
 * ended without its terminal event reaching us, or a STARTING pair that never became an execution
 * within the grace period, ends through the same path as a completion. An execution that SUCCEEDED
 * is judged by its published file (verified as a completion would); one that failed, was cancelled
 * or vanished, and a launch that never started, are retryable failures. Project slots whose holder
 * no longer holds one are given back; queued pairs of runs with free slots are published again;
 * finished runs get their summary.
 */
public final class Reconciler {
  /** How long after an execution ends its terminal event gets to arrive before reconcile acts. */
  public static final Duration TERMINAL_EVENT_GRACE = Duration.ofSeconds(30);

  private final ControlContext context;
  private final LedgerStore ledgers;
  private final SlotStore slots;
  private final AttemptCloser closer;

  public Reconciler(ControlContext context) {
    this.context = context;
    this.ledgers = context.ledgers();
    this.slots = context.slots();
    this.closer = new AttemptCloser(context);
  }

  /**
   * What one pass did.
   *
   * @param refused one line for each run left alone because its ledger is damaged, naming the run
   *     and the object
   */
  public record Result(
      int runsChecked, List<Outcome> recovered, int slotsReleased, List<String> refused) {}

  /**
   * One pass over every run. Each run is on its own: a damaged ledger is refused (reported, never
   * written) and a failure of one run leaves the others to be recovered; a failure that was not
   * damage is thrown at the end of the pass, so that the tick is delivered again.
   */
  public Result reconcile() throws IOException {
    Instant now = context.clock().instant();
    List<Outcome> recovered = new ArrayList<>();
    Map<RunId, RunLedger> open = new HashMap<>();
    List<String> refused = new ArrayList<>();
    Set<RunId> unknown = new HashSet<>();
    Exception failure = null;
    for (RunId run : ledgers.runs()) {
      try {
        reconcile(run, now, recovered).ifPresent(current -> open.put(run, current));
      } catch (DamagedObjectException damaged) {
        unknown.add(run);
        refused.add(OneLine.of(damaged.getMessage()));
      } catch (IOException | RuntimeException e) {
        unknown.add(run);
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    int released = releaseStrays(now, open, unknown);
    closer.promoteWaiters();
    if (failure instanceof IOException io) {
      throw io;
    }
    if (failure != null) {
      throw (RuntimeException) failure;
    }
    return new Result(open.size(), recovered, released, refused);
  }

  /** Recovers one run's lost attempts; the run as it is now, or empty if it needs nothing. */
  private Optional<RunLedger> reconcile(RunId run, Instant now, List<Outcome> recovered)
      throws IOException {
    Optional<RunLedger> found = ledgers.load(run);
    if (found.isEmpty() || (found.get().isFinished() && found.get().summaryPublishedAt() != null)) {
      return Optional.empty();
    }
    RunLedger ledger = found.get();
    for (PairRecord record : ledger.pairs()) {
      Optional<AttemptResult> lost = lostAttempt(run, record, now);
      if (lost.isPresent()) {
        recovered.add(closer.close(run, record.pair(), record.attempt(), lost.get()));
      }
    }
    RunLedger current = ledgers.load(run).orElse(ledger);
    closer.followUp(current);
    return Optional.of(current);
  }

  private Optional<AttemptResult> lostAttempt(RunId run, PairRecord record, Instant now)
      throws IOException {
    if (record.state() == PairState.STARTING) {
      Instant since = record.startedAt() == null ? record.queuedAt() : record.startedAt();
      if (since != null && since.plus(context.settings().grace()).isBefore(now)) {
        return Optional.of(
            AttemptResult.failure(
                Stage.JOB,
                "the launch never became an execution within " + context.settings().grace(),
                true,
                Map.of()));
      }
    } else if (record.state() == PairState.RUNNING && record.execution() != null) {
      ExecutionState state = context.launcher().state(record.execution());
      if (state.phase().isFinished() && isRecent(state, now)) {
        return Optional.empty(); // its terminal event is likely still on its way: next round
      }
      if (state.phase() == ExecutionState.Phase.SUCCEEDED) {
        return Optional.of(new PublishedOutput(context).judge(run, record));
      }
      if (state.phase().isFinished()) {
        return Optional.of(
            AttemptResult.failure(
                Stage.JOB,
                "execution "
                    + record.execution()
                    + " ended "
                    + state.phase()
                    + " without its terminal event"
                    + (state.detail() == null || state.detail().isBlank()
                        ? ""
                        : ": " + state.detail()),
                true,
                Map.of()));
      }
    }
    return Optional.empty();
  }

  /**
   * An execution that ended moments ago has probably published its terminal event, which carries
   * what reconcile cannot know (the job's metrics, whether a failure is worth retrying). Settling
   * it here first would race that event; after the grace the event is taken as lost.
   */
  private static boolean isRecent(ExecutionState state, Instant now) {
    return state.finishedAt() != null && state.finishedAt().plus(TERMINAL_EVENT_GRACE).isAfter(now);
  }

  /**
   * Gives back project slots whose holder no longer holds a slot in its run's ledger: at once when
   * the attempt has ended or moved on, after the grace period when the pair is still QUEUED (a
   * dispatch may be between taking the slot and moving the pair to STARTING).
   */
  private int releaseStrays(Instant now, Map<RunId, RunLedger> seen, Set<RunId> unknown)
      throws IOException {
    ProjectSlots table = slots.read();
    List<SlotHolder> stray = new ArrayList<>();
    Map<RunId, Optional<RunLedger>> cache = new HashMap<>();
    for (SlotHolder holder : table.holders()) {
      if (unknown.contains(holder.run())) {
        continue; // its ledger could not be read: nobody knows whether the holder is done
      }
      Optional<RunLedger> ledger =
          seen.containsKey(holder.run())
              ? Optional.of(seen.get(holder.run()))
              : cache.computeIfAbsent(holder.run(), r -> load(r));
      boolean old = holder.since().plus(context.settings().grace()).isBefore(now);
      Optional<PairRecord> record = ledger.flatMap(l -> l.pair(holder.pair()));
      if (record.isEmpty()) {
        if (old) {
          stray.add(holder);
        }
        continue;
      }
      PairRecord r = record.get();
      boolean holds = r.attempt() == holder.attempt() && r.state().holdsSlot();
      boolean pending = r.attempt() == holder.attempt() && r.state() == PairState.QUEUED;
      if (!holds && (!pending || old)) {
        stray.add(holder);
      }
    }
    if (stray.isEmpty()) {
      return 0;
    }
    return slots.releaseAll(stray::contains);
  }

  private Optional<RunLedger> load(RunId run) {
    try {
      return ledgers.load(run);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package ml.bqx.core.control;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.slots.ProjectSlots;
import ml.bqx.core.slots.SlotHolder;
import ml.bqx.core.slots.SlotStore;

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

  /** What one pass did. */
  public record Result(int runsChecked, List<Outcome> recovered, int slotsReleased) {}

  public Result reconcile() throws IOException {
    Instant now = context.clock().instant();
    List<Outcome> recovered = new ArrayList<>();
    Map<RunId, RunLedger> open = new HashMap<>();
    for (RunId run : ledgers.runs()) {
      Optional<RunLedger> found = ledgers.load(run);
      if (found.isEmpty()
          || (found.get().isFinished() && found.get().summaryPublishedAt() != null)) {
        continue;
      }
      RunLedger ledger = found.get();
      for (PairRecord record : ledger.pairs()) {
        Optional<AttemptResult> lost = lostAttempt(run, record, now);
        if (lost.isPresent()) {
          recovered.add(closer.close(run, record.pair(), record.attempt(), lost.get()));
        }
      }
      RunLedger current = ledgers.load(run).orElse(ledger);
      open.put(run, current);
      closer.followUp(current);
    }
    int released = releaseStrays(now, open);
    closer.promoteWaiters();
    return new Result(open.size(), recovered, released);
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
  private int releaseStrays(Instant now, Map<RunId, RunLedger> seen) throws IOException {
    ProjectSlots table = slots.read();
    List<SlotHolder> stray = new ArrayList<>();
    Map<RunId, Optional<RunLedger>> cache = new HashMap<>();
    for (SlotHolder holder : table.holders()) {
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

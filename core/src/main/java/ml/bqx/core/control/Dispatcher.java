package ml.bqx.core.control;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.MessageRejectedException;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.LaunchRequest;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.slots.SlotStore;
import ml.bqx.core.text.OneLine;

/**
 * Handles one pair message: starts the pair's attempt if a slot is free under both caps, else
 * leaves it queued.
 *
 * <p>The default run: a message without a run joins the ad-hoc run of its UTC day ({@code
 * adhoc-YYYY-MM-DD}), created on demand with the ad-hoc settings (cap BQX_MAX_CONCURRENT, attempts
 * BQX_MAX_ATTEMPTS, no tolerated failures); a pair not yet in it is added. So one {@code gcloud
 * pubsub topics publish bqx-pairs --attribute=pair=eurusd} builds one pair. A pair that already
 * finished in today's ad-hoc run is not built again by a new message: {@code bqx retry} does that.
 * A message naming any other run must name a run that exists and a pair in it.
 *
 * <p>Exactly one launch per (run, pair, attempt), however often and in whatever order the message
 * arrives: the project slot goes to one delivery only (a second delivery finding it held does
 * nothing), and only the delivery whose compare-and-swap moved the pair from QUEUED to STARTING
 * launches.
 */
public final class Dispatcher {
  private final ControlContext context;
  private final LedgerStore ledgers;
  private final SlotStore slots;
  private final AttemptCloser closer;

  public Dispatcher(ControlContext context) {
    this.context = context;
    this.ledgers = context.ledgers();
    this.slots = context.slots();
    this.closer = new AttemptCloser(context);
  }

  /**
   * Dispatches one message.
   *
   * @throws MessageRejectedException if the message names a run that does not exist, a pair not in
   *     its run, or a cancelled ad-hoc run (ack it: it can never succeed)
   * @throws IOException when the store or launcher could not be reached (retry the message)
   */
  public Outcome dispatch(PairMessage message) throws IOException {
    Instant now = context.clock().instant();
    PairMessage inRun = message.inRun(RunId.adHoc(now));
    RunId run = inRun.run();
    Pair pair = inRun.pair();
    int attempt = inRun.attempt();
    RunLedger ledger = ledgerFor(run, pair, now);
    PairRecord record = ledger.pair(pair).orElseThrow();
    if (ledger.cancelled()) {
      return ignored(run, pair, attempt, "run is cancelled");
    }
    if (record.attempt() != attempt) {
      return ignored(
          run,
          pair,
          attempt,
          "attempt " + attempt + " is not the current one (" + record.attempt() + ")");
    }
    if (record.state() != PairState.QUEUED) {
      return ignored(run, pair, attempt, "pair is already " + record.state());
    }
    if (!record.due(now)) {
      // Acked: the first follow-up after its time (a completion, the reconcile tick) publishes it.
      return queued(
          run,
          pair,
          attempt,
          "backing off after a failure: retrying in "
              + Duration.between(now, record.retryAt()).toSeconds()
              + " s");
    }
    if (ledger.freeSlots() == 0) {
      return queued(
          run, pair, attempt, "run cap reached (" + ledger.settings().maxConcurrent() + ")");
    }
    int projectCap = context.settings().projectMaxConcurrent();
    switch (slots.acquire(run, pair, attempt, projectCap)) {
      case ALREADY_HELD:
        return ignored(run, pair, attempt, "another delivery of this attempt holds its slot");
      case FULL:
        return queued(run, pair, attempt, "project cap reached (" + projectCap + ")");
      case PAIR_BUSY:
        return queued(run, pair, attempt, "the pair is being built by another run or attempt");
      case ACQUIRED:
      default:
        break;
    }
    LedgerStore.Update start;
    try {
      start = ledgers.update(run, l -> startIfFree(l, pair, attempt, now));
    } catch (IOException | RuntimeException e) {
      slots.release(run, pair, attempt);
      throw e;
    }
    if (!start.written()) {
      slots.release(run, pair, attempt);
      PairRecord seen = start.after().pair(pair).orElseThrow();
      if (seen.attempt() == attempt
          && seen.state() == PairState.QUEUED
          && !start.after().cancelled()) {
        // Our slot went back: a pair of this run may have been waiting on the project for it.
        closer.promoteWaiters();
        return queued(
            run, pair, attempt, "run cap reached (" + ledger.settings().maxConcurrent() + ")");
      }
      return ignored(
          run, pair, attempt, "pair is " + seen.state() + " at attempt " + seen.attempt());
    }
    return launch(run, pair, attempt);
  }

  private Outcome launch(RunId run, Pair pair, int attempt) throws IOException {
    String execution;
    try {
      execution = context.launcher().launch(new LaunchRequest(run, pair, attempt, Map.of()));
    } catch (IOException | RuntimeException e) {
      // The attempt counts as failed (retryable): a launch is never repeated for the same attempt.
      return closer.close(
          run,
          pair,
          attempt,
          AttemptResult.failure(
              Stage.JOB, "launch failed: " + OneLine.of(e.getMessage()), true, Map.of()));
    }
    Instant now = context.clock().instant();
    LedgerStore.Update running =
        ledgers.update(
            run,
            l ->
                l.transition(
                    pair,
                    attempt,
                    PairState.RUNNING,
                    now,
                    "execution " + execution,
                    r -> r.withExecution(execution)));
    if (!running.written()) {
      PairRecord seen = running.after().pair(pair).orElseThrow();
      if (seen.attempt() != attempt || seen.state() == PairState.CANCELLED) {
        // Cancelled, or given up by reconcile, while launching: nobody else knows this execution,
        // so stop it here rather than leave it running beside the next attempt.
        context.launcher().cancel(execution);
      }
      closer.releaseIfDone(running.after(), pair, attempt);
    }
    return new Outcome(Outcome.Kind.LAUNCHED, run, pair, attempt, "", execution);
  }

  private static RunLedger startIfFree(RunLedger ledger, Pair pair, int attempt, Instant now) {
    if (ledger.cancelled()
        || ledger.freeSlots() == 0
        || ledger.pair(pair).map(r -> !r.due(now)).orElse(true)) {
      return ledger;
    }
    return ledger.transition(
        pair,
        attempt,
        PairState.STARTING,
        now,
        "slot taken",
        r -> r.withTimes(r.queuedAt(), now, null));
  }

  private RunLedger ledgerFor(RunId run, Pair pair, Instant now) throws IOException {
    Optional<RunLedger> found = ledgers.load(run);
    boolean adHoc = run.value().startsWith("adhoc-");
    if (found.isEmpty()) {
      if (!adHoc) {
        throw new MessageRejectedException(
            "run '" + run + "' does not exist: create it with bqx run, or omit the run");
      }
      try {
        return ledgers.create(
            RunLedger.create(run, List.of(pair), context.settings().adHocRun(), now));
      } catch (PreconditionFailedException raced) {
        found = ledgers.load(run);
        if (found.isEmpty()) {
          throw new IOException("run '" + run + "' vanished while being created", raced);
        }
      }
    }
    RunLedger ledger = found.get();
    if (ledger.pair(pair).isPresent()) {
      return ledger;
    }
    if (!adHoc) {
      throw new MessageRejectedException("pair " + pair + " is not in run '" + run + "'");
    }
    if (ledger.cancelled()) {
      throw new MessageRejectedException(
          "run '" + run + "' was cancelled: publish with a run of your own (bqx run)");
    }
    return ledgers.update(run, l -> withPairAndOpen(l, pair, now)).after();
  }

  private static RunLedger withPairAndOpen(RunLedger ledger, Pair pair, Instant now) {
    RunLedger added = ledger.withPairsAdded(List.of(pair), now);
    if (added == ledger || added.summaryPublishedAt() == null) {
      return added;
    }
    // The day's ad-hoc run goes on: its next summary covers the new pair too.
    return new RunLedger(
        added.schema(),
        added.run(),
        added.createdAt(),
        added.settings(),
        added.pairs(),
        added.history(),
        added.cancelled(),
        null);
  }

  private static Outcome ignored(RunId run, Pair pair, int attempt, String why) {
    return Outcome.of(Outcome.Kind.IGNORED, run, pair, attempt, why);
  }

  private static Outcome queued(RunId run, Pair pair, int attempt, String why) {
    return Outcome.of(Outcome.Kind.QUEUED, run, pair, attempt, why);
  }
}

package ml.bqx.core.control;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.slots.SlotHolder;
import ml.bqx.core.slots.SlotStore;

/**
 * The one path that ends an attempt, shared by completion, reconcile and a failed launch: record
 * the result by compare-and-swap, give the project slot back, promote queued pairs, and finish the
 * run when nothing is left. Every step is idempotent, keyed by (run, pair, attempt).
 */
final class AttemptCloser {
  private final ControlContext context;
  private final LedgerStore ledgers;
  private final SlotStore slots;

  AttemptCloser(ControlContext context) {
    this.context = context;
    this.ledgers = context.ledgers();
    this.slots = context.slots();
  }

  /** Ends one attempt; a duplicate or late call changes nothing but still does the follow-up. */
  Outcome close(RunId run, Pair pair, int attempt, AttemptResult result) throws IOException {
    LedgerStore.Update update = end(run, pair, attempt, result);
    followUp(update.after());
    return outcome(update, run, pair, attempt, result);
  }

  /**
   * Ends one attempt and gives its slot back, without the follow-up: nothing is promoted (a runner
   * that is stopping must not start what it would then cancel).
   */
  Outcome settle(RunId run, Pair pair, int attempt, AttemptResult result) throws IOException {
    return outcome(end(run, pair, attempt, result), run, pair, attempt, result);
  }

  private LedgerStore.Update end(RunId run, Pair pair, int attempt, AttemptResult result)
      throws IOException {
    Instant now = context.clock().instant();
    LedgerStore.Update update = ledgers.update(run, l -> apply(l, pair, attempt, result, now));
    releaseIfDone(update.after(), pair, attempt);
    return update;
  }

  private static Outcome outcome(
      LedgerStore.Update update, RunId run, Pair pair, int attempt, AttemptResult result) {
    RunLedger after = update.after();
    if (!update.written()) {
      return Outcome.of(
          Outcome.Kind.IGNORED,
          run,
          pair,
          attempt,
          "attempt already ended: " + describe(after, pair));
    }
    PairRecord record = after.pair(pair).orElseThrow();
    Outcome.Kind kind =
        switch (record.state()) {
          case SUCCEEDED -> Outcome.Kind.SUCCEEDED;
          case QUEUED -> Outcome.Kind.RETRYING;
          case CANCELLED -> Outcome.Kind.CANCELLED;
          default -> Outcome.Kind.FAILED;
        };
    if (kind == Outcome.Kind.FAILED) {
      // only the call that wrote FAILED gets here: one line per failed pair, whatever redelivers
      PairFailedLog.write(run, pair, attempt, result.reason());
    }
    return Outcome.of(kind, run, pair, attempt, result.succeeded() ? "" : result.reason());
  }

  private static RunLedger apply(
      RunLedger ledger, Pair pair, int attempt, AttemptResult result, Instant now) {
    Optional<PairRecord> current = ledger.pair(pair);
    if (current.isEmpty()
        || current.get().attempt() != attempt
        || !current.get().state().holdsSlot()) {
      return ledger;
    }
    if (result.succeeded()) {
      return ledger.transition(
          pair,
          attempt,
          PairState.SUCCEEDED,
          now,
          "succeeded",
          result.metrics(),
          r ->
              r.withTimes(r.queuedAt(), r.startedAt(), now)
                  .withOutcome(result.stage(), null, result.output(), result.metrics()));
    }
    if (ledger.cancelled()) {
      return ledger.transition(
          pair,
          attempt,
          PairState.CANCELLED,
          now,
          "run cancelled; attempt ended: " + result.reason(),
          result.metrics(),
          r ->
              r.withTimes(r.queuedAt(), r.startedAt(), now)
                  .withOutcome(result.stage(), result.reason(), null, result.metrics()));
    }
    if (result.retryable() && attempt < ledger.settings().maxAttempts()) {
      return ledger.transition(
          pair,
          attempt,
          PairState.QUEUED,
          now,
          "attempt " + attempt + " failed, retrying: " + result.reason(),
          result.metrics(),
          r ->
              r.withAttempt(attempt + 1)
                  .withExecution(null)
                  .withTimes(now, null, null)
                  .withOutcome(result.stage(), result.reason(), null, result.metrics())
                  .withRetryAt(retryAt(ledger, pair, attempt + 1, now)));
    }
    return ledger.transition(
        pair,
        attempt,
        PairState.FAILED,
        now,
        result.reason(),
        result.metrics(),
        r ->
            r.withTimes(r.queuedAt(), r.startedAt(), now)
                .withOutcome(result.stage(), result.reason(), null, result.metrics()));
  }

  /** When the next attempt may start: after the run's backoff, or at once (null). */
  private static Instant retryAt(RunLedger ledger, Pair pair, int next, Instant now) {
    Duration wait = ledger.settings().backoff(ledger.run(), pair, next);
    return wait.isZero() ? null : now.plus(wait);
  }

  /** Gives back the attempt's project slot unless the ledger says the attempt still holds one. */
  void releaseIfDone(RunLedger ledger, Pair pair, int attempt) throws IOException {
    Optional<PairRecord> record = ledger.pair(pair);
    boolean stillHolds =
        record.isPresent() && record.get().attempt() == attempt && record.get().state().holdsSlot();
    if (!stillHolds) {
      slots.release(ledger.run(), pair, attempt);
    }
  }

  /** Promotes queued pairs into free slots and finishes the run if nothing is left. */
  void followUp(RunLedger ledger) throws IOException {
    promote(ledger);
    promoteWaiters();
    new RunFinisher(context).finishIfDone(ledger);
  }

  /**
   * Publishes the pair messages of the first queued pairs that are due (not backing off after a
   * failure), in the run's order (its priority), as many as the run has free slots. A pair that
   * then finds the project full waits on the project's list. Publishing more than needed is
   * harmless: dispatch ignores or re-queues the surplus. A pair backing off is published by the
   * first follow-up after its time: a completion, or the reconcile tick.
   */
  void promote(RunLedger ledger) throws IOException {
    if (ledger.cancelled()) {
      return;
    }
    Instant now = context.clock().instant();
    List<PairRecord> next =
        ledger.queued().stream().filter(r -> r.due(now)).limit(ledger.freeSlots()).toList();
    for (PairRecord record : next) {
      publish(new PairMessage(ledger.run(), record.pair(), record.attempt()));
    }
  }

  /** Publishes the pair messages of attempts waiting for a project slot, as many as are free. */
  void promoteWaiters() throws IOException {
    for (SlotHolder waiter : slots.takeWaiters(context.settings().projectMaxConcurrent())) {
      publish(new PairMessage(waiter.run(), waiter.pair(), waiter.attempt()));
    }
  }

  private void publish(PairMessage message) throws IOException {
    context.publisher().publish(context.settings().pairsTopic(), message.toBusMessage());
  }

  private static String describe(RunLedger ledger, Pair pair) {
    return ledger
        .pair(pair)
        .map(r -> "pair is " + r.state() + " at attempt " + r.attempt())
        .orElse("pair is not in the run");
  }
}

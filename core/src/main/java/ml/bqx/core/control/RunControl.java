package ml.bqx.core.control;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.report.RunReport;
import ml.bqx.core.slots.SlotHolder;
import ml.bqx.core.slots.SlotStore;
import ml.bqx.core.text.OneLine;

/**
 * What a person does to runs (the CLI and the local runner call this): create a run and publish its
 * pairs, publish one pair to the day's ad-hoc run, read a run's status and report, retry the pairs
 * of a finished run that did not succeed, cancel a run.
 */
public final class RunControl {
  private static final Logger LOG = Logger.getLogger(RunControl.class.getName());
  private final ControlContext context;
  private final LedgerStore ledgers;
  private final AttemptCloser closer;

  public RunControl(ControlContext context) {
    this.context = context;
    this.ledgers = context.ledgers();
    this.closer = new AttemptCloser(context);
  }

  /**
   * Creates a run of these pairs, queued in this order (their priority: the first start first), and
   * publishes the messages of as many as it may run at once.
   *
   * @throws IllegalStateException if the run already exists
   */
  public RunLedger create(RunId run, List<Pair> pairs, RunSettings settings) throws IOException {
    RunLedger ledger = RunLedger.create(run, pairs, settings, context.clock().instant());
    try {
      ledgers.create(ledger);
    } catch (PreconditionFailedException exists) {
      throw new IllegalStateException(
          "run '" + run + "' already exists: use bqx retry or another run id", exists);
    }
    publishQueued(ledger);
    return ledger;
  }

  /** Publishes a pair message as a person would (without a run: the day's ad-hoc run). */
  public String publish(PairMessage message) throws IOException {
    return context.publisher().publish(context.settings().pairsTopic(), message.toBusMessage());
  }

  /** The run's ledger as it is now; empty if there is no such run. */
  public Optional<RunLedger> status(RunId run) throws IOException {
    return ledgers.load(run);
  }

  /** Every run in the staging store. */
  public List<RunId> runs() throws IOException {
    return ledgers.runs();
  }

  /** The report of the run as it is now (the stored one is written when the run ends). */
  public Optional<RunReport> report(RunId run) throws IOException {
    return ledgers
        .load(run)
        .map(l -> RunReport.of(l, context.settings().cost(), context.clock().instant()));
  }

  /**
   * Re-queues the pairs of a finished run that did not succeed (attempt + 1) and publishes them.
   *
   * @throws IllegalStateException if the run does not exist or still has pairs queued or running
   */
  public RunLedger retry(RunId run) throws IOException {
    RunLedger current = existing(run);
    if (!current.isFinished()) {
      throw new IllegalStateException(
          "run '"
              + run
              + "' is still going ("
              + current.counts()
              + "): wait for it or cancel it before a retry");
    }
    Instant now = context.clock().instant();
    LedgerStore.Update update =
        ledgers.update(
            run,
            l -> {
              if (!l.isFinished()) {
                return l;
              }
              RunLedger next = l;
              for (PairRecord record : l.pairs()) {
                if (record.state() == PairState.FAILED || record.state() == PairState.CANCELLED) {
                  next =
                      next.transition(
                          record.pair(),
                          record.attempt(),
                          PairState.QUEUED,
                          now,
                          "retry requested",
                          r ->
                              r.withAttempt(record.attempt() + 1)
                                  .withExecution(null)
                                  .withTimes(now, null, null)
                                  .withRetryAt(null));
                }
              }
              return next == l ? l : next.reopened();
            });
    publishQueued(update.after());
    return update.after();
  }

  /**
   * Cancels a run: queued pairs become CANCELLED, running executions are cancelled through the
   * launcher, their slots are given back, and the run ends (report and summary). Says what it
   * stopped.
   */
  public Cancellation cancel(RunId run) throws IOException {
    existing(run);
    Instant now = context.clock().instant();
    LedgerStore.Update update =
        ledgers.update(
            run,
            l -> {
              RunLedger next = l.markCancelled();
              for (PairRecord record : l.pairs()) {
                if (!record.state().isFinished()) {
                  next =
                      next.transition(
                          record.pair(),
                          record.attempt(),
                          PairState.CANCELLED,
                          now,
                          "cancelled",
                          r -> r.withTimes(r.queuedAt(), r.startedAt(), now));
                }
              }
              return next;
            });
    List<PairRecord> stopped =
        update.before().pairs().stream()
            .filter(r -> r.state() == PairState.RUNNING && r.execution() != null)
            .toList();
    for (PairRecord record : stopped) {
      context.launcher().cancel(record.execution());
    }
    RunLedger after = update.after();
    SlotStore slots = context.slots();
    // A STARTING pair's slot goes back when its dispatcher has cancelled the execution it launched.
    List<SlotHolder> launching =
        update.before().pairs().stream()
            .filter(r -> r.state() == PairState.STARTING)
            .map(r -> new SlotHolder(run, r.pair(), r.attempt(), now))
            .toList();
    slots.releaseAll(
        h ->
            h.run().equals(run)
                && !holdsSlot(after, h)
                && launching.stream()
                    .noneMatch(s -> s.sameAttempt(h.run(), h.pair(), h.attempt())));
    closer.promoteWaiters();
    finishAfterCancel(after);
    List<PairRecord> before = update.written() ? update.before().pairs() : List.of();
    return new Cancellation(
        ledgers.load(run).orElse(after),
        update.written() ? stopped : List.of(),
        before.stream().filter(r -> r.state() == PairState.STARTING).toList(),
        before.stream().filter(r -> r.state() == PairState.QUEUED).toList());
  }

  /**
   * Ends the cancelled run (report and summary). The cancel is done whatever happens here: a
   * summary that cannot be published now (a local runner that saw its run end and took its Pub/Sub
   * endpoint down while the executions were still being stopped) has its mark given back by the
   * finisher, and the next follow-up or reconcile tick publishes it. Failing the cancel for it
   * would report an error for a cancel that happened.
   */
  private void finishAfterCancel(RunLedger after) {
    try {
      new RunFinisher(context).finishIfDone(after);
    } catch (IOException | RuntimeException e) {
      LOG.warning(
          "run "
              + after.run()
              + " cancelled; its summary waits for the next reconcile: "
              + OneLine.of(e.getMessage()));
    }
  }

  /**
   * Settles a run's attempts whose execution already ended with success, as reconcile would (by the
   * file each published), without waiting for their terminal events and without promoting anything:
   * what a runner does before it stops and cancels the rest, so that finished work is kept rather
   * than cancelled and built again.
   */
  public List<Outcome> settleSucceeded(RunId run) throws IOException {
    List<Outcome> settled = new ArrayList<>();
    Optional<RunLedger> ledger = ledgers.load(run);
    if (ledger.isEmpty()) {
      return settled;
    }
    PublishedOutput output = new PublishedOutput(context);
    for (PairRecord record : ledger.get().pairs()) {
      if (record.state() == PairState.RUNNING
          && record.execution() != null
          && context.launcher().state(record.execution()).phase()
              == ExecutionState.Phase.SUCCEEDED) {
        settled.add(closer.settle(run, record.pair(), record.attempt(), output.judge(run, record)));
      }
    }
    return settled;
  }

  private static boolean holdsSlot(RunLedger ledger, SlotHolder holder) {
    return ledger
        .pair(holder.pair())
        .map(r -> r.attempt() == holder.attempt() && r.state().holdsSlot())
        .orElse(false);
  }

  private RunLedger existing(RunId run) throws IOException {
    return ledgers
        .load(run)
        .orElseThrow(() -> new IllegalStateException("run '" + run + "' does not exist"));
  }

  /**
   * Publishes the messages of the run's first queued pairs, as many as it has free slots, in the
   * run's order: the rest are published one by one as slots free up, so the order of the pairs is
   * the order they start in, whatever order Pub/Sub delivers in.
   */
  public void publishQueued(RunLedger ledger) throws IOException {
    closer.promote(ledger);
  }
}

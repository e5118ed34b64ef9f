package ml.bqx.core.control;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.MessageRejectedException;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.text.OneLine;
import ml.bqx.core.verify.Verdict;

/**
 * Handles a stage event: ignores everything but the job's terminal event without reading anything;
 * on that event, verifies the output (on success), ends the attempt (SUCCEEDED, retry or FAILED),
 * gives back its slot, promotes queued pairs and finishes the run when nothing is left.
 */
public final class CompletionHandler {
  private final ControlContext context;
  private final AttemptCloser closer;

  public CompletionHandler(ControlContext context) {
    this.context = context;
    this.closer = new AttemptCloser(context);
  }

  /**
   * Handles one event.
   *
   * @throws MessageRejectedException if the event names a run or pair that does not exist
   * @throws IOException when the store could not be reached (retry the event)
   */
  public Outcome handle(StageEvent event) throws IOException {
    if (!event.isJobTerminal()) {
      return Outcome.of(
          Outcome.Kind.IGNORED,
          event.run(),
          event.pair(),
          event.attempt(),
          "not the job's terminal event");
    }
    Optional<RunLedger> found = context.ledgers().load(event.run());
    if (found.isEmpty()) {
      throw new MessageRejectedException(
          "stage event for run '" + event.run() + "', which does not exist");
    }
    RunLedger ledger = found.get();
    Optional<PairRecord> record = ledger.pair(event.pair());
    if (record.isEmpty()) {
      throw new MessageRejectedException(
          "stage event for pair " + event.pair() + ", which is not in run '" + event.run() + "'");
    }
    if (record.get().attempt() != event.attempt() || !record.get().state().holdsSlot()) {
      // Duplicate or late: change nothing, but finish what a crashed delivery may have left.
      closer.releaseIfDone(ledger, event.pair(), event.attempt());
      closer.followUp(ledger);
      return Outcome.of(
          Outcome.Kind.IGNORED,
          event.run(),
          event.pair(),
          event.attempt(),
          "pair is " + record.get().state() + " at attempt " + record.get().attempt());
    }
    return closer.close(event.run(), event.pair(), event.attempt(), result(event));
  }

  private AttemptResult result(StageEvent event) throws IOException {
    if (event.status() == EventStatus.FAILED) {
      String reason = event.message() == null ? "the job failed without a reason" : event.message();
      return AttemptResult.failure(
          Stage.JOB, OneLine.of(reason), !Boolean.FALSE.equals(event.retryable()), event.metrics());
    }
    OutputFacts output = event.output();
    if (output == null || output.uri() == null) {
      return AttemptResult.failure(
          Stage.VALIDATE, "the job's success event carries no output", true, event.metrics());
    }
    ControlSettings settings = context.settings();
    URI expectedUri = StoreLayout.trainingFile(settings.outputRoot(), event.pair());
    if (!expectedUri.toString().equals(output.uri())) {
      return AttemptResult.failure(
          Stage.VALIDATE,
          "output rejected: the job published " + output.uri() + ", expected " + expectedUri,
          true,
          event.metrics());
    }
    Verdict verdict =
        context
            .verifier()
            .verify(
                settings.expectation(
                    expectedUri,
                    event.run(),
                    event.pair(),
                    event.attempt(),
                    output.crc32c(),
                    output.bytes()));
    if (!verdict.valid()) {
      return AttemptResult.failure(
          Stage.VALIDATE, "output rejected: " + verdict.reason(), true, event.metrics());
    }
    return AttemptResult.success(output, event.metrics());
  }
}

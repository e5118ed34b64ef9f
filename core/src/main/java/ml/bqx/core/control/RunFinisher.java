package ml.bqx.core.control;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import ml.bqx.core.json.Json;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.core.report.RunReport;
import ml.bqx.core.report.RunSummary;

/**
 * Ends a run once: when no pair is queued or running, writes its report object and publishes its
 * summary event. The ledger's summary mark, set by compare-and-swap, makes one caller the
 * publisher.
 */
final class RunFinisher {
  private final ControlContext context;

  RunFinisher(ControlContext context) {
    this.context = context;
  }

  /** True if this call published the run's summary. */
  boolean finishIfDone(RunLedger seen) throws IOException {
    if (!seen.isFinished() || seen.summaryPublishedAt() != null) {
      return false;
    }
    LedgerStore ledgers = context.ledgers();
    Instant now = context.clock().instant();
    LedgerStore.Update marked =
        ledgers.update(
            seen.run(),
            l ->
                l.isFinished() && l.summaryPublishedAt() == null ? l.markSummaryPublished(now) : l);
    if (!marked.written()) {
      return false;
    }
    RunLedger ledger = marked.after();
    RunReport report = RunReport.of(ledger, context.settings().cost(), now);
    URI reportUri = StoreLayout.report(context.stagingRoot(), ledger.run());
    try {
      context
          .staging()
          .write(
              reportUri,
              Json.toPrettyString(report).getBytes(StandardCharsets.UTF_8),
              WritePrecondition.none());
      RunSummary summary = RunSummary.of(report, now, reportUri.toString());
      context.publisher().publish(context.settings().eventsTopic(), summary.toBusMessage());
    } catch (IOException | RuntimeException e) {
      // Give the mark back so that the next follow-up (a redelivery or reconcile) publishes it.
      ledgers.update(
          ledger.run(),
          l ->
              now.equals(l.summaryPublishedAt())
                  ? new RunLedger(
                      l.schema(),
                      l.run(),
                      l.createdAt(),
                      l.settings(),
                      l.pairs(),
                      l.history(),
                      l.cancelled(),
                      null)
                  : l);
      throw e;
    }
    return true;
  }
}

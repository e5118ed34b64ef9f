package ml.bqx.core.report;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.message.Attributes;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.MessageRejectedException;
import ml.bqx.core.message.RunId;

/**
 * The event a run publishes once, on the events topic, when no pair is left: its counts, whether it
 * succeeded and how ({@link RunOutcome}: "succeeded with failures" when the failed pairs are within
 * the run's tolerated percentage). Attribute {@code kind=run-summary} tells it from stage events.
 */
public record RunSummary(
    String schema,
    RunId run,
    Instant at,
    boolean succeeded,
    RunOutcome outcome,
    boolean cancelled,
    int pairs,
    Map<PairState, Long> counts,
    double failedPercent,
    int toleratedFailurePercent,
    double costUsd,
    String report) {
  public static final String SCHEMA = "bqx.run-summary/1";
  public static final String KIND = "run-summary";

  public static RunSummary of(RunReport report, Instant at, String reportUri) {
    return new RunSummary(
        SCHEMA,
        report.run(),
        at,
        report.succeeded(),
        report.outcome(),
        report.cancelled(),
        report.pairsTotal(),
        report.counts(),
        report.failedPercent(),
        report.settings().toleratedFailurePercent(),
        report.costUsd(),
        reportUri);
  }

  public BusMessage toBusMessage() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(Attributes.KIND, KIND);
    attributes.put(Attributes.RUN, run.value());
    return new BusMessage(Json.toBytes(this), attributes);
  }

  public static RunSummary parse(BusMessage message) {
    if (!KIND.equals(message.attribute(Attributes.KIND))) {
      throw new MessageRejectedException(
          "not a run summary: kind=" + message.attribute(Attributes.KIND));
    }
    try {
      return Json.fromBytes(message.data(), RunSummary.class);
    } catch (IllegalArgumentException e) {
      throw new MessageRejectedException(e.getMessage(), e);
    }
  }
}

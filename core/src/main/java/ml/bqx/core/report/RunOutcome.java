package ml.bqx.core.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;

/** How a run stands or ended, as its summary, its report and {@code bqx status} say it. */
public enum RunOutcome {
  /** Pairs are still queued or running. */
  RUNNING,
  /** Every pair succeeded. */
  SUCCEEDED,
  /** Some pairs did not succeed, no more than the run's tolerated failure percentage. */
  SUCCEEDED_WITH_FAILURES,
  /** More pairs did not succeed than the run tolerates. */
  FAILED,
  /** The run was cancelled. */
  CANCELLED;

  public static RunOutcome of(RunLedger ledger) {
    if (!ledger.isFinished()) {
      return RUNNING;
    }
    if (ledger.cancelled()) {
      return CANCELLED;
    }
    long total = ledger.pairs().size();
    long notSucceeded = total - ledger.count(PairState.SUCCEEDED);
    if (notSucceeded == 0) {
      return SUCCEEDED;
    }
    return notSucceeded * 100 <= (long) ledger.settings().toleratedFailurePercent() * total
        ? SUCCEEDED_WITH_FAILURES
        : FAILED;
  }

  /** True for the two outcomes that count as a success. */
  public boolean succeeded() {
    return this == SUCCEEDED || this == SUCCEEDED_WITH_FAILURES;
  }

  /** "succeeded with failures". */
  @JsonValue
  public String words() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  @JsonCreator
  public static RunOutcome fromWords(String text) {
    for (RunOutcome outcome : values()) {
      if (outcome.words().equals(text)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException("unknown run outcome '" + text + "'");
  }
}

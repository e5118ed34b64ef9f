package ml.bqx.core.ledger;

import java.time.Instant;
import java.util.Map;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;

/**
 * One pair's line in a run ledger.
 *
 * @param attempt the current attempt, from 1
 * @param execution the launcher's name of the current attempt's execution, once known
 * @param lastStage the last stage a terminal job event reported
 * @param metrics figures of the last finished attempt (durations per stage, rows, tables/min)
 * @param retryAt for a pair queued again after a retryable failure: the earliest time its next
 *     attempt may start (the run's backoff); null when it may start at once
 */
public record PairRecord(
    Pair pair,
    PairState state,
    int attempt,
    String execution,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    Stage lastStage,
    String lastError,
    OutputFacts output,
    Map<String, Double> metrics,
    Instant retryAt) {
  public PairRecord {
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }

  /** A pair waiting for its first attempt. */
  public static PairRecord queued(Pair pair, Instant now) {
    return new PairRecord(
        pair, PairState.QUEUED, 1, null, now, null, null, null, null, null, Map.of(), null);
  }

  /** True if the pair's attempt may start at {@code now} (no backoff, or its backoff is over). */
  public boolean due(Instant now) {
    return retryAt == null || !now.isBefore(retryAt);
  }

  PairRecord withState(PairState next) {
    return new PairRecord(
        pair,
        next,
        attempt,
        execution,
        queuedAt,
        startedAt,
        finishedAt,
        lastStage,
        lastError,
        output,
        metrics,
        retryAt);
  }

  public PairRecord withAttempt(int value) {
    return new PairRecord(
        pair,
        state,
        value,
        execution,
        queuedAt,
        startedAt,
        finishedAt,
        lastStage,
        lastError,
        output,
        metrics,
        retryAt);
  }

  public PairRecord withExecution(String value) {
    return new PairRecord(
        pair,
        state,
        attempt,
        value,
        queuedAt,
        startedAt,
        finishedAt,
        lastStage,
        lastError,
        output,
        metrics,
        retryAt);
  }

  public PairRecord withTimes(Instant queued, Instant started, Instant finished) {
    return new PairRecord(
        pair, state, attempt, execution, queued, started, finished, lastStage, lastError, output,
        metrics, retryAt);
  }

  public PairRecord withOutcome(
      Stage stage, String error, OutputFacts facts, Map<String, Double> figures) {
    return new PairRecord(
        pair,
        state,
        attempt,
        execution,
        queuedAt,
        startedAt,
        finishedAt,
        stage,
        error,
        facts,
        figures,
        retryAt);
  }

  /** The same line with its next attempt held back until {@code at} (null: not held back). */
  public PairRecord withRetryAt(Instant at) {
    return new PairRecord(
        pair,
        state,
        attempt,
        execution,
        queuedAt,
        startedAt,
        finishedAt,
        lastStage,
        lastError,
        output,
        metrics,
        at);
  }
}

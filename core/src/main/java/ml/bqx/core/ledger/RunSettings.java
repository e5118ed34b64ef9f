package ml.bqx.core.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.CRC32;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/**
 * How a run behaves, fixed when it is created.
 *
 * @param maxConcurrent the run's cap: pairs holding a slot at once
 * @param maxAttempts attempts per pair before it fails
 * @param toleratedFailurePercent the run still counts as succeeded ("succeeded with failures") with
 *     up to this share of its pairs not succeeded
 * @param retryBackoffSeconds the wait before a pair's second attempt after a retryable failure,
 *     doubled for each attempt after it; 0: retried at once
 * @param retryBackoffMaxSeconds the longest such wait
 */
public record RunSettings(
    int maxConcurrent,
    int maxAttempts,
    int toleratedFailurePercent,
    int retryBackoffSeconds,
    int retryBackoffMaxSeconds) {
  /** The backoff of a run created without one: 30 s, doubled per attempt, at most 10 min. */
  public static final int DEFAULT_BACKOFF_SECONDS = 30;

  public static final int DEFAULT_BACKOFF_MAX_SECONDS = 600;

  public RunSettings {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("max concurrent must be 1 or more, not " + maxConcurrent);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be 1 or more, not " + maxAttempts);
    }
    if (toleratedFailurePercent < 0 || toleratedFailurePercent > 100) {
      throw new IllegalArgumentException(
          "tolerated failure percent must be 0-100, not " + toleratedFailurePercent);
    }
    if (retryBackoffSeconds < 0 || retryBackoffMaxSeconds < 0) {
      throw new IllegalArgumentException(
          "retry backoff must be 0 or more seconds, not "
              + Math.min(retryBackoffSeconds, retryBackoffMaxSeconds));
    }
    if (retryBackoffMaxSeconds < retryBackoffSeconds) {
      retryBackoffMaxSeconds = retryBackoffSeconds;
    }
  }

  /** A run retried at once after a failure (what ledgers written before the backoff have). */
  public RunSettings(int maxConcurrent, int maxAttempts, int toleratedFailurePercent) {
    this(maxConcurrent, maxAttempts, toleratedFailurePercent, 0, 0);
  }

  public RunSettings withTolerance(int percent) {
    return new RunSettings(
        maxConcurrent, maxAttempts, percent, retryBackoffSeconds, retryBackoffMaxSeconds);
  }

  public RunSettings withBackoff(int seconds, int maxSeconds) {
    return new RunSettings(
        maxConcurrent, maxAttempts, toleratedFailurePercent, seconds, maxSeconds);
  }

  /**
   * How long {@code attempt} (2 or more) of a pair waits after the attempt before it failed:
   * exponential (the base doubled for each attempt after the second, capped) with "equal jitter"
   * (half the wait fixed, half spread): the truncated exponential backoff with jitter of Google
   * Cloud's retry strategy (Cloud Storage, "Retry strategy"), in the "equal jitter" form of the AWS
   * Architecture Blog's "Exponential Backoff and Jitter", so that pairs failing together do not
   * come back together. The jitter is drawn from (run, pair, attempt), not from a random source:
   * every delivery and every compare-and-swap retry of the same failure computes the same wait.
   */
  public Duration backoff(RunId run, Pair pair, int attempt) {
    if (retryBackoffSeconds == 0 || attempt < 2) {
      return Duration.ZERO;
    }
    long millis = retryBackoffSeconds * 1000L;
    for (int i = 2; i < attempt && millis < retryBackoffMaxSeconds * 1000L; i++) {
      millis *= 2;
    }
    millis = Math.min(millis, retryBackoffMaxSeconds * 1000L);
    CRC32 hash = new CRC32();
    hash.update((run.value() + "/" + pair.name() + "/" + attempt).getBytes(StandardCharsets.UTF_8));
    double spread = (hash.getValue() & 0xffff) / 65536.0;
    return Duration.ofMillis(millis / 2 + (long) (millis / 2 * spread));
  }
}

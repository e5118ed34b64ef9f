package ml.bqx.local.pubsub;

import java.time.Duration;
import java.util.Objects;

/**
 * A push subscription's retry policy: exponential backoff from {@code minimumBackoff}, doubling per
 * failed delivery, capped at {@code maximumBackoff} (Pub/Sub's bounds: 0 to 600 seconds).
 */
public record RetryPolicy(Duration minimumBackoff, Duration maximumBackoff) {
  /** Pub/Sub's upper bound for both backoffs. */
  public static final Duration LIMIT = Duration.ofSeconds(600);

  /** Pub/Sub's default for a subscription with a retry policy: 10 s to 600 s. */
  public static final RetryPolicy PUBSUB_DEFAULT =
      new RetryPolicy(Duration.ofSeconds(10), Duration.ofSeconds(600));

  public RetryPolicy {
    Objects.requireNonNull(minimumBackoff, "minimumBackoff");
    Objects.requireNonNull(maximumBackoff, "maximumBackoff");
    if (minimumBackoff.isNegative() || maximumBackoff.isNegative()) {
      throw new IllegalArgumentException(
          "retry backoff must not be negative: " + minimumBackoff + " to " + maximumBackoff);
    }
    if (minimumBackoff.compareTo(maximumBackoff) > 0) {
      throw new IllegalArgumentException(
          "retry minimum backoff "
              + minimumBackoff
              + " is greater than the maximum "
              + maximumBackoff);
    }
    if (maximumBackoff.compareTo(LIMIT) > 0) {
      throw new IllegalArgumentException(
          "retry maximum backoff " + maximumBackoff + " exceeds Pub/Sub's limit of " + LIMIT);
    }
  }

  /** The wait before the next delivery after {@code failedDeliveries} failures (1 or more). */
  public Duration backoff(int failedDeliveries) {
    if (failedDeliveries < 1) {
      throw new IllegalArgumentException(
          "failed deliveries must be 1 or more, not " + failedDeliveries);
    }
    Duration delay = minimumBackoff;
    for (int i = 1; i < failedDeliveries && delay.compareTo(maximumBackoff) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maximumBackoff) > 0 ? maximumBackoff : delay;
  }
}

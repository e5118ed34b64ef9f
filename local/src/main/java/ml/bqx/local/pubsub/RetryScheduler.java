package ml.bqx.local.pubsub;

import java.time.Duration;

/**
 * Runs a redelivery after its backoff. Injectable so that tests see the requested delays and need
 * not wait them out; the endpoint's default waits in real time.
 */
@FunctionalInterface
public interface RetryScheduler {
  /** Runs {@code task} once, after {@code delay}. Must not block the caller. */
  void schedule(Duration delay, Runnable task);
}

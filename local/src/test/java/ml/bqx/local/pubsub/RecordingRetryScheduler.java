package ml.bqx.local.pubsub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A retry scheduler for tests: records each requested backoff and runs the retry at once. */
final class RecordingRetryScheduler implements RetryScheduler {
  private final List<Duration> delays = new ArrayList<>();

  @Override
  public void schedule(Duration delay, Runnable task) {
    synchronized (delays) {
      delays.add(delay);
    }
    task.run();
  }

  List<Duration> delays() {
    synchronized (delays) {
      return List.copyOf(delays);
    }
  }
}

package ml.bqx.local.pubsub;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The default retry scheduler: one timer thread that waits the real backoff. */
final class RealTimeRetryScheduler implements RetryScheduler, AutoCloseable {
  private final ScheduledExecutorService timer;

  RealTimeRetryScheduler(String threadName) {
    timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.factory(threadName));
  }

  @Override
  public void schedule(Duration delay, Runnable task) {
    if (!timer.isShutdown()) {
      timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    NamedThreads.stop(timer);
  }
}

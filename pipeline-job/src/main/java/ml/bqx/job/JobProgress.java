package ml.bqx.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.progress.PairProgress;
import ml.bqx.core.progress.ProgressStore;

/**
 * Keeps the attempt's progress object up to date from its own stage events, so that {@code bqx
 * status} can show a running pair's stage and tables on Google Cloud, where only the job's terminal
 * event reaches the ledger. Written at most once every {@link #EVERY}: GCS takes about one write
 * per second per object (faster writes get 429 rateLimitExceeded), and 10 s keeps a job's progress
 * object at a tenth of that while status still sees a change within 15 s (a write at most 10 s
 * after the event, read by the next status). The first state is written at once. A write that fails
 * is logged and tried again at the next tick: progress is never worth failing the job for.
 */
public final class JobProgress implements AutoCloseable {
  /** The shortest time between two writes of the progress object. */
  public static final Duration EVERY = Duration.ofSeconds(10);

  private static final Logger LOG = Logger.getLogger(JobProgress.class.getName());

  private final ProgressStore store;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private PairProgress current;
  private boolean dirty;
  private Instant lastWrite;

  /** Starts following the attempt; ticks once a second to write what changed, if it may. */
  public static JobProgress start(ProgressStore store, PairProgress first, Clock clock) {
    JobProgress progress = new JobProgress(store, first, clock, true);
    progress.flush();
    return progress;
  }

  /** A writer with no timer: {@link #flush} writes (for tests on a fake clock). */
  static JobProgress manual(ProgressStore store, PairProgress first, Clock clock) {
    return new JobProgress(store, first, clock, false);
  }

  private JobProgress(ProgressStore store, PairProgress first, Clock clock, boolean ticking) {
    this.store = store;
    this.clock = clock;
    this.current = first;
    this.dirty = true;
    if (ticking) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "bqx-progress");
                thread.setDaemon(true);
                return thread;
              });
      timer.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
    } else {
      timer = null;
    }
  }

  /** One of the attempt's stage events. */
  public synchronized void heard(StageEvent event) {
    if (event.attempt() == current.attempt() && event.pair().equals(current.pair())) {
      current = current.after(event);
      dirty = true;
    }
  }

  /** Writes the progress object if it changed and the last write is {@link #EVERY} old. */
  public void flush() {
    Instant now = clock.instant();
    PairProgress written;
    synchronized (this) {
      if (!dirty || (lastWrite != null && Duration.between(lastWrite, now).compareTo(EVERY) < 0)) {
        return;
      }
      written = current.writtenAt(now);
      dirty = false;
      lastWrite = now; // a failed write is tried again after EVERY too: no burst against GCS
    }
    try {
      store.write(written); // outside the lock: the extracting threads are not held up by it
    } catch (Exception e) {
      synchronized (this) {
        dirty = true;
      }
      LOG.warning("could not write the progress object: " + e.getMessage());
    }
  }

  /**
   * Stops writing and removes the progress object: the job's terminal event, in the ledger, says
   * the rest, and a finished job leaves nothing behind in the staging store.
   */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdown();
      try {
        // A write under way would bring the object back after the delete: let it end first.
        timer.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      store.delete(current.run(), current.pair());
    } catch (Exception e) {
      LOG.warning("could not remove the progress object: " + e.getMessage());
    }
  }
}

package ml.bqx.local.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A launched child: its pid and start instant, which together tell it from a reused pid. */
record ExecutionRecord(String name, long pid, Instant startedAt) {
  Optional<ProcessHandle> handle() {
    return LiveProcess.of(pid, startedAt);
  }

  boolean isAlive() {
    return handle().isPresent();
  }

  /** Asks the wrapper and the job to stop, then kills whatever is left after the grace period. */
  void terminate(Duration grace) {
    Optional<ProcessHandle> wrapper = handle();
    if (wrapper.isEmpty()) {
      return;
    }
    var children = wrapper.get().descendants().toList();
    children.forEach(ProcessHandle::destroy);
    wrapper.get().destroy();
    try {
      wrapper.get().onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // fall through to the forcible kill
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    if (wrapper.get().isAlive()) {
      wrapper.get().destroyForcibly();
    }
  }
}

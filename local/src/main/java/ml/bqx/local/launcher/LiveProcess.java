package ml.bqx.local.launcher;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A process known by its pid and start instant, which together tell it from a later process that
 * was given the same pid: a launched job, or the runner that wrote a workdir's endpoint file.
 */
final class LiveProcess {
  private LiveProcess() {}

  /** The process, if one with this pid that started at {@code startedAt} is alive. */
  static Optional<ProcessHandle> of(long pid, Instant startedAt) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                h.info()
                    .startInstant()
                    .map(s -> Math.abs(Duration.between(s, startedAt).toSeconds()) <= 1)
                    .orElse(true));
  }

  /** When this process started, as {@link #of} compares it. */
  static Instant startOfCurrent() {
    return ProcessHandle.current().info().startInstant().orElse(Instant.EPOCH);
  }
}

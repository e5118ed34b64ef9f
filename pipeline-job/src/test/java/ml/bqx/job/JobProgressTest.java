package ml.bqx.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.progress.PairProgress;
import ml.bqx.core.progress.ProgressStore;
import ml.bqx.core.testing.FakeClock;
import ml.bqx.core.testing.MemoryObjectStore;
import ml.bqx.job.testing.JobFixture;
import ml.bqx.local.store.FolderObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's progress object: what it says after the job's own events, written at most every 10 s
 * (on a fake clock), and removed when the job ends.
 */
class JobProgressTest {
  private static final RunId RUN = RunId.of("progress-1");
  private static final Pair PAIR = Pair.parse("eurusd");

  @TempDir java.nio.file.Path dir;

  private final FakeClock clock = new FakeClock(java.time.Instant.parse("2026-12-01T10:00:00Z"));
  private final MemoryObjectStore memory = new MemoryObjectStore();
  private final ProgressStore store = new ProgressStore(memory, URI.create("mem://staging/"));

  @Test
  void progress_isWrittenAtOnce_thenAtMostEveryTenSeconds() throws Exception {
    JobProgress progress =
        JobProgress.manual(store, PairProgress.started(RUN, PAIR, 2, clock.instant()), clock);
    progress.flush();
    assertThat(read().stage()).isEqualTo(Stage.JOB);
    long writes = writes();

    progress.heard(event(Stage.EXTRACT, EventStatus.STARTED, Map.of()));
    clock.advance(Duration.ofSeconds(3));
    progress.heard(
        event(
            Stage.EXTRACT,
            EventStatus.PROGRESS,
            Map.of(Metric.TABLES, 12.0, Metric.TABLES_TOTAL, 41.0, Metric.TABLES_PER_MIN, 240.0)));
    clock.advance(Duration.ofSeconds(6));
    progress.flush(); // 9 s after the last write: not yet
    assertThat(writes()).isEqualTo(writes);
    assertThat(read().stage()).isEqualTo(Stage.JOB);

    clock.advance(Duration.ofSeconds(1));
    progress.flush();
    PairProgress now = read();
    assertThat(now.stage()).isEqualTo(Stage.EXTRACT);
    assertThat(now.attempt()).isEqualTo(2);
    assertThat(now.tablesDone()).isEqualTo(12);
    assertThat(now.tablesTotal()).isEqualTo(41);
    assertThat(now.tablesPerMin()).isEqualTo(240.0);
    assertThat(now.writtenAt()).isEqualTo(clock.instant());

    // Nothing new: no write, however long it runs.
    clock.advance(Duration.ofMinutes(5));
    long after = writes();
    progress.flush();
    assertThat(writes()).isEqualTo(after);
    // Another attempt's event is not this one's progress.
    progress.heard(StageEvent.of(RUN, PAIR, 1, Stage.MERGE, EventStatus.STARTED, clock.instant()));
    progress.flush();
    assertThat(read().stage()).isEqualTo(Stage.EXTRACT);
  }

  @Test
  void aRealJob_removesItsProgressObjectWhenItEnds() throws Exception {
    JobFixture fixture = new JobFixture(dir).seeded();

    assertThat(JobFixture.runInProcess(fixture.env("eurusd", "progress-job", 1)).exitCode())
        .isZero();

    // Written while it ran (CancelRetryEndToEndTest reads one from a live job), gone at its end.
    assertThat(
            new ProgressStore(new FolderObjectStore(), fixture.staging.toUri())
                .read(RunId.of("progress-job"), PAIR))
        .isEmpty();
  }

  @Test
  void close_removesTheObject() throws Exception {
    JobProgress progress =
        JobProgress.manual(store, PairProgress.started(RUN, PAIR, 2, clock.instant()), clock);
    progress.flush();
    assertThat(store.read(RUN, PAIR)).isPresent();
    progress.close();
    assertThat(store.read(RUN, PAIR)).isEmpty();
  }

  /** The progress object's generation: one more per write. */
  private long writes() throws Exception {
    return memory.stat(progressUri()).orElseThrow().generation();
  }

  private URI progressUri() {
    return ml.bqx.core.layout.StoreLayout.progress(URI.create("mem://staging/"), RUN, PAIR);
  }

  private PairProgress read() throws Exception {
    return store.read(RUN, PAIR).orElseThrow();
  }

  private StageEvent event(Stage stage, EventStatus status, Map<String, Double> metrics) {
    return StageEvent.of(RUN, PAIR, 2, stage, status, clock.instant()).withMetrics(metrics);
  }
}

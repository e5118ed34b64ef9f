package ml.bqx.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.core.report.RunReport;
import ml.bqx.core.report.RunSummary;
import ml.bqx.core.testing.ControlHarness;
import ml.bqx.core.testing.RecordingPublisher;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The end of a run: one summary event and the report object, whatever is delivered twice. */
class RunFinisherTest {
  private static final RunId RUN = RunId.of("prod-20261128");
  private final ControlHarness h = new ControlHarness(8);

  @Test
  void runEnd_publishesOneSummaryWhoseCountsAddUp_andWritesTheReport() throws IOException {
    h.control.create(RUN, PairUniverse.PRODUCTION.subList(0, 5), new RunSettings(2, 1, 20));
    h.drain();
    int n = 0;
    while (!h.launcher.running().isEmpty()) {
      String execution = h.launcher.running().get(0);
      h.clock.advance(Duration.ofMinutes(3));
      if (n++ == 2) {
        h.fail(execution, false);
      } else {
        h.succeed(execution);
      }
      List<RecordingPublisher.Published> fresh = h.publisher.takeNew();
      for (RecordingPublisher.Published p : fresh) {
        h.deliver(p);
        h.deliver(p); // every message twice
      }
      h.drain();
    }

    List<RunSummary> summaries = RunSummaries.of(h.publisher);
    assertThat(summaries).hasSize(1);
    RunSummary summary = summaries.get(0);
    assertThat(summary.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
    assertThat(summary.counts())
        .containsEntry(PairState.SUCCEEDED, 4L)
        .containsEntry(PairState.FAILED, 1L);
    assertThat(summary.succeeded()).isTrue(); // 20% failed, 20% tolerated
    RunReport report = h.storedReport(RUN).orElseThrow();
    assertThat(report.pairs()).hasSize(5);
    assertThat(report.pairs().get(0).executionSeconds()).isEqualTo(180.0);
    assertThat(report.pairs().get(0).stageSeconds()).containsEntry("extract", 60.0);
    assertThat(report.pairs().get(0).tablesPerMin()).isEqualTo(668.0);
    // Cap 2, one completion every 3 minutes: the first pair held a slot 3 minutes, the others 6.
    assertThat(report.executionSeconds()).isEqualTo(180.0 + 4 * 360.0);
    assertThat(report.costUsd())
        .isCloseTo(1620 * (4 * 0.000018 + 12 * 0.000002), Offset.offset(1e-9));
    assertThat(report.totalRows()).isEqualTo(4 * 120_000L);
  }
}

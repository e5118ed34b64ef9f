package ml.bqx.core.control;

import static ml.bqx.core.testing.ControlHarness.pairs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.LaunchRequest;
import ml.bqx.core.report.RunOutcome;
import ml.bqx.core.report.RunSummary;
import ml.bqx.core.testing.ControlHarness;
import ml.bqx.core.testing.RecordingPublisher;
import org.junit.jupiter.api.Test;

/**
 * The run options through the real handlers (RunControl, Dispatcher, CompletionHandler, Reconciler)
 * on a fake clock: a tolerated failure percentage, the pairs' priority as their start order, and
 * the backoff of retries.
 */
class RunOptionsTest {
  private static final RunId RUN = RunId.of("options-1");
  private final ControlHarness h = new ControlHarness(8);

  @Test
  void toleratedFailures_withinThePercentage_runSucceedsWithFailures() throws IOException {
    RunSummary summary = fourPairsOfWhichFail(1);

    assertThat(summary.outcome()).isEqualTo(RunOutcome.SUCCEEDED_WITH_FAILURES);
    assertThat(summary.succeeded()).isTrue();
    assertThat(summary.toleratedFailurePercent()).isEqualTo(25);
    assertThat(h.storedReport(RUN).orElseThrow().outcome())
        .isEqualTo(RunOutcome.SUCCEEDED_WITH_FAILURES);
    // The wire spelling that people's alerting reads.
    assertThat(new String(summary.toBusMessage().data(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"outcome\":\"succeeded with failures\"");
  }

  @Test
  void toleratedFailures_beyondThePercentage_runFails() throws IOException {
    RunSummary summary = fourPairsOfWhichFail(2);

    assertThat(summary.outcome()).isEqualTo(RunOutcome.FAILED);
    assertThat(summary.succeeded()).isFalse();
  }

  /** A run of four pairs tolerating 25% whose first {@code failures} jobs fail for good. */
  private RunSummary fourPairsOfWhichFail(int failures) throws IOException {
    h.control.create(RUN, pairs(4), new RunSettings(4, 1, 25));
    h.drain();
    List<String> executions = h.launcher.running();
    for (int i = 0; i < executions.size(); i++) {
      if (i < failures) {
        h.fail(executions.get(i), false);
      } else {
        h.succeed(executions.get(i));
      }
    }
    h.drain();
    return RunSummaries.of(h.publisher).get(0);
  }

  @Test
  void priority_pairsStartInTheRunsOrder_whateverOrderTheirMessagesArriveIn() throws IOException {
    List<Pair> order = List.of(pairs(6).get(5), pairs(6).get(2), pairs(6).get(0), pairs(6).get(4));
    h.control.create(RUN, order, new RunSettings(2, 3, 0));

    // Only as many messages as the run may start: the rest wait for slots in the run's order.
    List<RecordingPublisher.Published> first = h.publisher.takeNew();
    assertThat(first)
        .extracting(p -> PairMessage.parse(p.message()).pair())
        .containsExactly(order.get(0), order.get(1));
    for (int i = first.size() - 1; i >= 0; i--) { // delivered backwards
      h.deliver(first.get(i));
    }
    h.drain();
    h.succeed(h.launcher.running().get(0));
    h.drain();
    h.succeed(h.launcher.running().get(0));
    h.drain();

    assertThat(h.launcher.launches().stream().map(LaunchRequest::pair).toList())
        .containsExactlyInAnyOrder(order.toArray(Pair[]::new));
    assertThat(h.launcher.launches().subList(2, 4).stream().map(LaunchRequest::pair).toList())
        .containsExactly(order.get(2), order.get(3));
  }

  @Test
  void backoff_aRetryableFailure_waitsItsJitteredTime_thenDoubles_andStatusSaysWhen()
      throws IOException {
    Pair pair = pairs(1).get(0);
    h.control.create(RUN, List.of(pair), new RunSettings(1, 3, 0, 40, 600));
    h.drain();
    Instant failedAt = h.clock.instant();
    h.fail(h.launcher.running().get(0), true);
    h.drain();

    PairRecord queued = h.ledger(RUN).pair(pair).orElseThrow();
    assertThat(queued.state()).isEqualTo(PairState.QUEUED);
    assertThat(queued.attempt()).isEqualTo(2);
    Duration wait = Duration.between(failedAt, queued.retryAt());
    // Equal jitter: half of the 40 s fixed, half spread.
    assertThat(wait).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
    assertThat(wait)
        .isEqualTo(new RunSettings(1, 3, 0, 40, 600).backoff(RUN, pair, 2))
        .as("another pair failing at the same time waits differently")
        .isNotEqualTo(new RunSettings(1, 3, 0, 40, 600).backoff(RUN, pairs(2).get(1), 2));
    assertThat(h.launcher.launches()).hasSize(1);

    // Its message, delivered again before its time, launches nothing; nor does a tick.
    h.deliver(ControlHarness.PAIRS, new PairMessage(RUN, pair, 2).toBusMessage());
    h.clock.advance(wait.minusSeconds(1));
    h.reconcileOnce();
    h.drain();
    assertThat(h.launcher.launches()).hasSize(1);

    // The first tick after its time publishes it.
    h.clock.advance(Duration.ofSeconds(1));
    h.reconcileOnce();
    h.drain();
    assertThat(h.launcher.launches()).extracting(LaunchRequest::attempt).containsExactly(1, 2);

    Instant secondFailedAt = h.clock.instant();
    h.fail(h.launcher.running().get(0), true);
    h.drain();
    Duration second =
        Duration.between(secondFailedAt, h.ledger(RUN).pair(pair).orElseThrow().retryAt());
    assertThat(second).isBetween(Duration.ofSeconds(40), Duration.ofSeconds(80));
  }

  @Test
  void backoff_capsAtItsMaximum_andZeroRetriesAtOnce() {
    RunSettings capped = new RunSettings(1, 10, 0, 30, 100);
    Pair pair = pairs(1).get(0);
    assertThat(capped.backoff(RUN, pair, 9))
        .isBetween(Duration.ofSeconds(50), Duration.ofSeconds(100));
    assertThat(new RunSettings(1, 3, 0).backoff(RUN, pair, 2)).isZero();
  }
}

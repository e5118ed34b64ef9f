package ml.bqx.core.control;

import static ml.bqx.core.testing.ControlHarness.pairs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.port.EventPublisher;
import ml.bqx.core.report.RunSummary;
import ml.bqx.core.testing.ControlHarness;
import ml.bqx.core.testing.RecordingPublisher;
import org.junit.jupiter.api.Test;

/** What a person does to runs: cancel one, retry what did not succeed. */
class RunControlTest {
  private static final RunId RUN = RunId.of("prod-20261128");
  private final ControlHarness h = new ControlHarness(8);

  @Test
  void cancel_stopsEverything() throws IOException {
    h.control.create(RUN, pairs(10), new RunSettings(4, 3, 0));
    List<RecordingPublisher.Published> messages = h.publisher.takeNew();
    for (RecordingPublisher.Published m : messages) {
      h.deliver(m);
    }
    List<String> running = h.launcher.running();

    RunLedger cancelled = h.control.cancel(RUN).ledger();
    for (RecordingPublisher.Published m : messages) {
      h.deliver(m); // late deliveries launch nothing
    }
    h.drain();

    assertThat(cancelled.count(PairState.CANCELLED)).isEqualTo(10);
    assertThat(h.launcher.cancelled()).containsExactlyInAnyOrderElementsOf(running);
    assertThat(h.launcher.running()).isEmpty();
    assertThat(h.launcher.launches()).hasSize(4);
    assertThat(h.context.slots().read().holders()).isEmpty();
    RunSummary summary = RunSummaries.of(h.publisher).get(0);
    assertThat(summary.cancelled()).isTrue();
    assertThat(summary.succeeded()).isFalse();
  }

  @Test
  void cancel_whenTheSummaryCannotBePublished_stillSaysWhatItStopped_andReconcilePublishesIt()
      throws IOException {
    h.control.create(RUN, pairs(3), new RunSettings(1, 3, 0));
    h.drain();
    String running = h.launcher.running().get(0);
    // The events topic is gone (a local runner that saw its run end took its endpoint down).
    EventPublisher eventsDown =
        new EventPublisher() {
          @Override
          public String publish(String topic, BusMessage message) throws IOException {
            if (topic.equals(ControlHarness.EVENTS)) {
              throw new IOException("UNAVAILABLE: io exception");
            }
            return h.publisher.publish(topic, message);
          }

          @Override
          public void close() {}
        };
    ControlContext c = h.context;
    RunControl control =
        new RunControl(
            new ControlContext(
                c.staging(),
                c.stagingRoot(),
                c.launcher(),
                eventsDown,
                c.verifier(),
                c.clock(),
                c.settings()));

    Cancellation cancelled = control.cancel(RUN);

    assertThat(cancelled.stopped()).extracting(PairRecord::execution).containsExactly(running);
    assertThat(cancelled.dequeued()).hasSize(2);
    assertThat(cancelled.ledger().count(PairState.CANCELLED)).isEqualTo(3);
    assertThat(cancelled.ledger().summaryPublishedAt()).isNull();
    assertThat(RunSummaries.of(h.publisher)).isEmpty();

    h.reconcileOnce();
    assertThat(RunSummaries.of(h.publisher))
        .singleElement()
        .satisfies(s -> assertThat(s.cancelled()).isTrue());
  }

  @Test
  void settleSucceeded_keepsAJobThatEndedWell_beforeItsEvent_andPromotesNothing()
      throws IOException {
    h.control.create(RUN, pairs(3), new RunSettings(2, 3, 0));
    h.drain();
    List<String> running = h.launcher.running();
    h.succeed(running.get(0));
    h.publisher.takeNew(); // its terminal event is not heard: the runner is stopping

    List<Outcome> settled = h.control.settleSucceeded(RUN);

    assertThat(settled)
        .singleElement()
        .satisfies(o -> assertThat(o.kind()).isEqualTo(Outcome.Kind.SUCCEEDED));
    RunLedger ledger = h.ledger(RUN);
    assertThat(ledger.pair(pairs(1).get(0)).orElseThrow().state()).isEqualTo(PairState.SUCCEEDED);
    assertThat(ledger.count(PairState.RUNNING)).isEqualTo(1);
    assertThat(ledger.queued()).hasSize(1);
    assertThat(h.publisher.takeNew()).as("nothing promoted into the freed slot").isEmpty();
    assertThat(h.context.slots().read().holders()).hasSize(1);
  }

  @Test
  void retry_ofAFinishedRun_requeuesOnlyThePairsThatDidNotSucceed() throws IOException {
    h.control.create(RUN, pairs(3), new RunSettings(4, 1, 0));
    h.drain();
    List<String> running = h.launcher.running();
    h.succeed(running.get(0));
    h.fail(running.get(1), false);
    h.fail(running.get(2), true);
    h.drain();
    assertThat(h.ledger(RUN).isFinished()).isTrue();
    assertThrows(
        IllegalStateException.class,
        () -> h.control.create(RUN, pairs(1), new RunSettings(4, 1, 0)));

    h.control.retry(RUN);
    h.drain();

    assertThat(h.launcher.launches().subList(3, 5))
        .extracting(r -> r.pair().name() + "#" + r.attempt())
        .containsExactlyInAnyOrder(pairs(3).get(1).name() + "#2", pairs(3).get(2).name() + "#2");
    assertThat(h.ledger(RUN).pair(pairs(1).get(0)).orElseThrow().attempt()).isEqualTo(1);
  }

  @Test
  void retry_ofARunStillGoing_isRefused() throws IOException {
    h.control.create(RUN, pairs(2), new RunSettings(4, 1, 0));
    h.drain();
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> h.control.retry(RUN));
    assertThat(refused).hasMessageContaining("still going");
  }
}

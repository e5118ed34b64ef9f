package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.RunReport;
import ml.bqx.core.control.RunSummary;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.Attributes;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.ErrorEvent;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.core.port.WritePrecondition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The functions driven through their CloudEventsFunction entry, one behaviour at a time. */
class ControlFlowTest {
  private static final RunId RUN = RunId.of("prod-20261128");
  @TempDir Path dir;
  private Harness h;

  @BeforeEach
  void setUp() throws IOException {
    h = new Harness(dir, 8);
  }

  private List<Pair> pairs(int n) {
    return PairUniverse.PRODUCTION.subList(0, n);
  }

  @Test
  void dispatch_whenCapReached_queuesPair() throws IOException {
    h.control.create(RUN, pairs(6), new RunSettings(4, 3, 0));
    h.drain();

    RunLedger ledger = h.ledger(RUN);
    assertThat(h.launcher.launches()).hasSize(4);
    assertThat(ledger.count(PairState.RUNNING)).isEqualTo(4);
    assertThat(ledger.queued())
        .extracting(r -> r.pair())
        .containsExactlyElementsOf(pairs(6).subList(4, 6));
    assertThat(h.launcher.launches().get(0).environment())
        .containsEntry("TARGET_PAIR", pairs(1).get(0).name())
        .containsEntry("RUN_ID", RUN.value())
        .containsEntry("ATTEMPT", "1");
  }

  @Test
  void dispatch_withoutRun_joinsTheAdHocRunOfTheUtcDay() throws IOException {
    h.deliver(Harness.PAIRS, new BusMessage(new byte[0], Map.of("pair", "gbpusd")));

    RunId adHoc = RunId.of("adhoc-2026-11-28");
    assertThat(h.ledger(adHoc).pair(Pair.parse("gbpusd")).orElseThrow().state())
        .isEqualTo(PairState.RUNNING);
    assertThat(h.launcher.launches())
        .singleElement()
        .satisfies(r -> assertThat(r.run()).isEqualTo(adHoc));

    h.deliver(
        Harness.PAIRS,
        new BusMessage("{\"pair\":\"eurusd\"}".getBytes(StandardCharsets.UTF_8), Map.of()));
    assertThat(h.ledger(adHoc).pairs()).hasSize(2);
    assertThat(h.launcher.launches()).hasSize(2);
  }

  @Test
  void dispatch_badPair_isAckedWithAnErrorEvent() throws IOException {
    h.deliver(
        Harness.PAIRS,
        new BusMessage("{\"pair\":\"eurxyz\"}".getBytes(StandardCharsets.UTF_8), Map.of()));

    assertThat(h.launcher.launches()).isEmpty();
    assertThat(h.publisher.on(Harness.EVENTS))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message().attribute(Attributes.KIND)).isEqualTo(ErrorEvent.KIND);
              ErrorEvent error = Json.fromBytes(p.message().data(), ErrorEvent.class);
              assertThat(error.function()).isEqualTo("dispatch");
              assertThat(error.reason()).contains("eurxyz").doesNotContain("\n");
            });
  }

  @Test
  void dispatch_malformedCloudEventOrUnknownRun_isAckedWithReason() throws IOException {
    h.dispatch.accept(
        Harness.rawCloudEvent(Harness.PAIRS, "x1", "not json".getBytes(StandardCharsets.UTF_8)));
    h.deliver(
        Harness.PAIRS,
        PairMessage.of(RunId.of("nosuchrun"), Pair.parse("eurusd"), 1).toBusMessage());

    List<String> reasons =
        h.publisher.on(Harness.EVENTS).stream()
            .map(p -> Json.fromBytes(p.message().data(), ErrorEvent.class).reason())
            .toList();
    assertThat(reasons).hasSize(2);
    assertThat(reasons.get(0)).contains("not a Pub/Sub message");
    assertThat(reasons.get(1)).contains("run 'nosuchrun' does not exist");
  }

  @Test
  void dispatch_whenStoreFails_throwsSoPubSubRetries() throws IOException {
    Path blocked = Files.writeString(dir.resolve("blocked"), "a file where a folder should be");
    ControlContext broken =
        new ControlContext(
            h.store,
            blocked.toUri(),
            h.launcher,
            h.publisher,
            h.context.verifier(),
            h.clock,
            h.context.settings());
    DispatchFunction function = new DispatchFunction(broken);

    assertThrows(
        IOException.class,
        () ->
            function.accept(
                Harness.cloudEvent(
                    Harness.PAIRS,
                    new PairMessage(null, Pair.parse("eurusd"), 1).toBusMessage(),
                    "1")));
    assertThat(h.launcher.launches()).isEmpty();
  }

  @Test
  void completion_success_marksSucceededAndPromotesTheNextQueuedPair() throws IOException {
    h.control.create(RUN, pairs(5), new RunSettings(4, 3, 0));
    h.drain();
    String first = h.launcher.running().get(0);

    h.succeed(first);
    h.drain();

    RunLedger ledger = h.ledger(RUN);
    assertThat(ledger.pair(pairs(1).get(0)).orElseThrow().state()).isEqualTo(PairState.SUCCEEDED);
    assertThat(ledger.pair(pairs(5).get(4)).orElseThrow().state()).isEqualTo(PairState.RUNNING);
    assertThat(h.launcher.launches()).hasSize(5);
    assertThat(h.context.slots().read().holders()).hasSize(4);
  }

  @Test
  void completion_nonTerminalEvent_isIgnoredWithoutReadingTheLedger() throws IOException {
    RunId unknown = RunId.of("never-created");
    StageEvent progress =
        StageEvent.of(
            unknown, Pair.parse("eurusd"), 1, Stage.EXTRACT, EventStatus.PROGRESS, Harness.START);
    h.completion.accept(Harness.cloudEvent(Harness.EVENTS, progress.toBusMessage(), "p1"));
    assertThat(h.publisher.all()).isEmpty();

    StageEvent terminal =
        StageEvent.of(
            unknown, Pair.parse("eurusd"), 1, Stage.JOB, EventStatus.FAILED, Harness.START);
    try (LogLines log = LogLines.of(CompletionFunction.class)) {
      h.completion.accept(Harness.cloudEvent(Harness.EVENTS, terminal.toBusMessage(), "p2"));
      assertThat(h.publisher.all()).as("nothing goes back to the events topic").isEmpty();
      assertThat(log.problems())
          .singleElement()
          .satisfies(line -> assertThat(line).contains("message p2").contains("does not exist"));
    }
  }

  @Test
  void completion_retryableFailure_requeuesTheNextAttempt() throws IOException {
    h.control.create(RUN, pairs(1), new RunSettings(4, 2, 0));
    h.drain();
    h.fail(h.launcher.running().get(0), true);
    h.drain();
    assertThat(h.launcher.launches()).extracting(r -> r.attempt()).containsExactly(1, 2);

    h.fail(h.launcher.running().get(0), true);
    h.drain();
    RunLedger ledger = h.ledger(RUN);
    assertThat(ledger.pairs().get(0).state()).isEqualTo(PairState.FAILED);
    assertThat(ledger.pairs().get(0).lastError()).isEqualTo("extract failed: table x unreadable");
    assertThat(h.launcher.launches()).hasSize(2);
  }

  @Test
  void completion_wrongCrc_truncatedMissingOrWrongPair_isRejectedWithItsReason()
      throws IOException {
    List<Pair> four = pairs(4);
    h.control.create(RUN, four, new RunSettings(4, 1, 100));
    h.drain();
    List<String> running = h.launcher.running();
    StageEvent wrongCrc = h.succeed(running.get(0));
    StageEvent truncated = h.succeed(running.get(1));
    StageEvent missing = h.succeed(running.get(2));
    StageEvent wrongPair = h.succeed(running.get(3));
    h.publisher.takeNew();
    OutputFacts good = wrongCrc.output();
    h.store.write(
        java.net.URI.create(truncated.output().uri()),
        new byte[] {'P', 'A', 'R', '1'},
        WritePrecondition.none());
    h.store.delete(java.net.URI.create(missing.output().uri()));

    deliverEvent(wrongCrc.withOutput(new OutputFacts(good.uri(), good.bytes(), "AAAAAA==", 1, 1)));
    deliverEvent(truncated);
    deliverEvent(missing);
    deliverEvent(
        wrongPair.withOutput(new OutputFacts(good.uri(), good.bytes(), good.crc32c(), 1, 1)));

    RunLedger ledger = h.ledger(RUN);
    assertThat(ledger.pair(four.get(0)).orElseThrow().lastError()).contains("CRC32C", "AAAAAA==");
    assertThat(ledger.pair(four.get(1)).orElseThrow().lastError())
        .contains("has 4 bytes but the job reported");
    assertThat(ledger.pair(four.get(2)).orElseThrow().lastError()).contains("does not exist");
    assertThat(ledger.pair(four.get(3)).orElseThrow().lastError())
        .contains("expected", "training_" + four.get(3).name());
    assertThat(ledger.count(PairState.FAILED)).isEqualTo(4);
  }

  private void deliverEvent(StageEvent event) throws IOException {
    h.deliver(Harness.EVENTS, event.toBusMessage());
  }

  @Test
  void reconcile_recoversALostTerminalEvent() throws IOException {
    h.control.create(RUN, pairs(2), new RunSettings(4, 3, 0));
    h.drain();
    String lost = h.launcher.running().get(0);
    h.succeed(lost);
    h.publisher.takeNew(); // the terminal event never reaches us

    // The other pair is still running: reconcile leaves it alone.
    Pair other = pairs(2).get(1);

    h.reconcile.accept(
        Harness.cloudEvent("bqx-reconcile", new BusMessage(new byte[0], Map.of()), "r1"));
    h.drain();

    // The execution succeeded and its file checks out: the pair succeeded, nothing runs again.
    RunLedger after = h.ledger(RUN);
    assertThat(after.pair(pairs(1).get(0)).orElseThrow().state()).isEqualTo(PairState.SUCCEEDED);
    assertThat(after.pair(pairs(1).get(0)).orElseThrow().attempt()).isEqualTo(1);
    assertThat(h.launcher.launches()).extracting(r -> r.attempt()).containsExactly(1, 1);
    assertThat(after.pair(other).orElseThrow().state()).isEqualTo(PairState.RUNNING);
    assertThat(after.pair(other).orElseThrow().attempt()).isEqualTo(1);
  }

  @Test
  void reconcile_startingWithoutExecution_isRetriedAfterTheGraceOnly() throws IOException {
    RunId run = RunId.of("stuck");
    h.control.create(run, pairs(1), new RunSettings(4, 3, 0));
    h.publisher.takeNew();
    // The dispatcher took the slot and moved the pair to STARTING, then died before launching.
    Pair pair = pairs(1).get(0);
    h.context.slots().acquire(run, pair, 1, 8);
    h.context
        .ledgers()
        .update(
            run,
            l ->
                l.transition(
                    pair,
                    1,
                    PairState.STARTING,
                    h.clock.instant(),
                    "slot taken",
                    r -> r.withTimes(r.queuedAt(), h.clock.instant(), null)));

    h.reconcile.accept(
        Harness.cloudEvent("bqx-reconcile", new BusMessage(new byte[0], Map.of()), "r1"));
    assertThat(h.ledger(run).pairs().get(0).state()).isEqualTo(PairState.STARTING);

    h.clock.advance(Duration.ofMinutes(11));
    h.reconcile.accept(
        Harness.cloudEvent("bqx-reconcile", new BusMessage(new byte[0], Map.of()), "r2"));
    h.drain();
    assertThat(h.ledger(run).pairs().get(0).attempt()).isEqualTo(2);
    assertThat(h.ledger(run).pairs().get(0).state()).isEqualTo(PairState.RUNNING);
    assertThat(h.launcher.launches())
        .singleElement()
        .satisfies(r -> assertThat(r.attempt()).isEqualTo(2));
    assertThat(h.context.slots().read().holders()).hasSize(1);
  }

  @Test
  void dispatch_whenReconcileGaveUpOnTheLaunchMeanwhile_cancelsTheExecutionItStarted()
      throws IOException {
    RunId run = RunId.of("slow-launch");
    h.launcher.duringLaunch(
        () -> {
          // Cloud Run takes longer than the grace: reconcile takes the attempt for lost.
          h.clock.advance(Duration.ofMinutes(11));
          try {
            h.reconcile.accept(
                Harness.cloudEvent("bqx-reconcile", new BusMessage(new byte[0], Map.of()), "r1"));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          h.launcher.duringLaunch(() -> {});
        });

    h.control.create(run, pairs(1), new RunSettings(4, 3, 0));
    h.drain();

    // Attempt 1's execution started after its attempt was given up: it is cancelled, not left
    // running beside attempt 2.
    assertThat(h.launcher.launches()).extracting(r -> r.attempt()).containsExactly(1, 2);
    assertThat(h.launcher.cancelled()).containsExactly("exec-1-" + pairs(1).get(0).name());
    assertThat(h.ledger(run).pairs().get(0).attempt()).isEqualTo(2);
    assertThat(h.ledger(run).pairs().get(0).state()).isEqualTo(PairState.RUNNING);
  }

  @Test
  void dispatch_whenLaunchFails_countsAFailedAttemptAndGivesTheSlotBack() throws IOException {
    h.launcher.failLaunches(true);
    h.control.create(RUN, pairs(1), new RunSettings(4, 1, 0));
    h.drain();
    RunLedger ledger = h.ledger(RUN);
    assertThat(ledger.pairs().get(0).state()).isEqualTo(PairState.FAILED);
    assertThat(ledger.pairs().get(0).lastError()).contains("launch failed: Cloud Run said no");
    assertThat(h.context.slots().read().holders()).isEmpty();
  }

  @Test
  void cancel_stopsEverything() throws IOException {
    h.control.create(RUN, pairs(10), new RunSettings(4, 3, 0));
    List<RecordingPublisher.Published> messages = h.publisher.takeNew();
    for (RecordingPublisher.Published m : messages) {
      h.deliver(m);
    }
    List<String> running = h.launcher.running();

    RunLedger cancelled = h.control.cancel(RUN);
    for (RecordingPublisher.Published m : messages) {
      h.deliver(m); // late deliveries launch nothing
    }
    h.drain();

    assertThat(cancelled.count(PairState.CANCELLED)).isEqualTo(10);
    assertThat(h.launcher.cancelled()).containsExactlyInAnyOrderElementsOf(running);
    assertThat(h.launcher.running()).isEmpty();
    assertThat(h.launcher.launches()).hasSize(4);
    assertThat(h.context.slots().read().holders()).isEmpty();
    RunSummary summary = summaries().get(0);
    assertThat(summary.cancelled()).isTrue();
    assertThat(summary.succeeded()).isFalse();
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

  @Test
  void runEnd_publishesOneSummaryWhoseCountsAddUp_andWritesTheReport() throws IOException {
    h.control.create(RUN, pairs(5), new RunSettings(2, 1, 20));
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

    List<RunSummary> summaries = summaries();
    assertThat(summaries).hasSize(1);
    RunSummary summary = summaries.get(0);
    assertThat(summary.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
    assertThat(summary.counts())
        .containsEntry(PairState.SUCCEEDED, 4L)
        .containsEntry(PairState.FAILED, 1L);
    assertThat(summary.succeeded()).isTrue(); // 20% failed, 20% tolerated
    RunReport report = h.control.storedReport(RUN).orElseThrow();
    assertThat(report.pairs()).hasSize(5);
    assertThat(report.pairs().get(0).executionSeconds()).isEqualTo(180.0);
    assertThat(report.pairs().get(0).stageSeconds()).containsEntry("extract", 60.0);
    assertThat(report.pairs().get(0).tablesPerMin()).isEqualTo(668.0);
    // Cap 2, one completion every 3 minutes: the first pair held a slot 3 minutes, the others 6.
    assertThat(report.executionSeconds()).isEqualTo(180.0 + 4 * 360.0);
    assertThat(report.costUsd())
        .isCloseTo(
            1620 * (4 * 0.000018 + 12 * 0.000002), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(report.totalRows()).isEqualTo(4 * 120_000L);
  }

  private List<RunSummary> summaries() {
    return h.publisher.on(Harness.EVENTS).stream()
        .filter(p -> RunSummary.KIND.equals(p.message().attribute(Attributes.KIND)))
        .map(p -> RunSummary.parse(p.message()))
        .toList();
  }
}

package ml.bqx.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import ml.bqx.core.ledger.HistoryEntry;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.Attributes;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.core.port.LaunchRequest;
import ml.bqx.core.report.RunSummary;
import ml.bqx.core.testing.ControlHarness;
import ml.bqx.core.testing.RecordingLauncher;
import ml.bqx.core.testing.RecordingPublisher;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Randomized, seeded and reproducible trials of whole runs through the three handlers: messages
 * delivered one to three times in any order, completions racing dispatches, terminal events lost,
 * function instances dying inside a launch. Whatever the interleaving, neither cap is ever
 * exceeded, no pair is built by both runs at once, every (run, pair, attempt) is launched at most
 * once, reconcile recovers every loss, no slot leaks and each run's one summary adds up.
 */
class RaceTrialsTest {
  private static final int PROJECT_CAP = 6;
  private static final int RUN_CAP = 4;

  @Property(tries = 20, seed = "20261128")
  void twoRunsOf26_withDuplicatesLossesAndCrashes_keepEveryInvariant(
      @ForAll @LongRange(min = 1) long seed) throws IOException {
    trial(new Random(seed));
  }

  private void trial(Random random) throws IOException {
    ControlHarness h = new ControlHarness(PROJECT_CAP);
    h.launcher.crashWhen(() -> random.nextInt(100) < 3);
    List<RunId> runs = List.of(RunId.of("run-a"), RunId.of("run-b"));
    for (RunId run : runs) {
      h.control.create(run, PairUniverse.PRODUCTION, new RunSettings(RUN_CAP, 3, 10));
    }
    List<RecordingPublisher.Published> bag = new ArrayList<>();
    int reconciles = 0;
    for (int step = 0; step < 20_000; step++) {
      for (RecordingPublisher.Published p : h.publisher.takeNew()) {
        boolean lost = isTerminal(p) && random.nextInt(100) < 5;
        int copies = lost ? 0 : 1 + random.nextInt(3);
        for (int i = 0; i < copies; i++) {
          bag.add(random.nextInt(bag.size() + 1), p);
        }
      }
      List<String> running = h.launcher.running();
      if (!bag.isEmpty() && (running.isEmpty() || random.nextInt(100) < 65)) {
        RecordingPublisher.Published next = bag.remove(random.nextInt(bag.size()));
        try {
          h.deliver(next);
        } catch (RecordingLauncher.SimulatedCrash crash) {
          bag.add(random.nextInt(bag.size() + 1), next); // never acked: Pub/Sub delivers again
        }
      } else if (!running.isEmpty()) {
        String execution = running.get(random.nextInt(running.size()));
        if (random.nextInt(100) < 85) {
          h.succeed(execution);
        } else {
          h.fail(execution, true);
        }
      } else if (runs.stream().allMatch(r -> finished(h, r))) {
        break;
      } else {
        h.clock.advance(Duration.ofMinutes(11));
        h.reconcileOnce();
        reconciles++;
      }
      assertThat(h.launcher.live()).isLessThanOrEqualTo(PROJECT_CAP);
      assertThat(h.launcher.running().stream().map(e -> h.launcher.request(e).pair()))
          .as("one pair, one output file: never built by both runs at once")
          .doesNotHaveDuplicates();
      for (RunId run : runs) {
        assertThat(h.launcher.maxLive(run)).isLessThanOrEqualTo(RUN_CAP);
      }
    }

    assertThat(reconciles).isLessThan(200);
    Set<String> launched = new HashSet<>();
    for (LaunchRequest request : h.launcher.launches()) {
      assertThat(launched.add(request.run() + "/" + request.pair() + "#" + request.attempt()))
          .as("one launch per (run, pair, attempt)")
          .isTrue();
    }
    assertThat(h.launcher.maxLive()).isLessThanOrEqualTo(PROJECT_CAP);
    assertThat(h.context.slots().read().holders()).as("no slot leaks").isEmpty();
    for (RunId run : runs) {
      RunLedger ledger = h.ledger(run);
      assertThat(ledger.isFinished()).isTrue();
      assertThat(maxHoldingInHistory(ledger)).isLessThanOrEqualTo(RUN_CAP);
      List<RunSummary> summaries = summaries(h, run);
      assertThat(summaries).as("one summary per run").hasSize(1);
      RunSummary summary = summaries.get(0);
      assertThat(summary.counts().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(26)
          .isEqualTo(summary.pairs());
      assertThat(summary.counts().get(PairState.SUCCEEDED) + summary.counts().get(PairState.FAILED))
          .isEqualTo(26);
    }
  }

  private static boolean finished(ControlHarness h, RunId run) {
    try {
      RunLedger ledger = h.ledger(run);
      return ledger.isFinished() && ledger.summaryPublishedAt() != null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isTerminal(RecordingPublisher.Published p) {
    return p.topic().equals(ControlHarness.EVENTS)
        && "job".equals(p.message().attribute(Attributes.STAGE))
        && !"started".equals(p.message().attribute(Attributes.STATUS));
  }

  /** Replays the ledger's history: how many pairs held a slot at once, at most. */
  private static int maxHoldingInHistory(RunLedger ledger) {
    int holding = 0;
    int max = 0;
    for (HistoryEntry entry : ledger.history()) {
      boolean before = entry.from() != null && entry.from().holdsSlot();
      boolean after = entry.to().holdsSlot();
      holding += (after ? 1 : 0) - (before ? 1 : 0);
      max = Math.max(max, holding);
    }
    return max;
  }

  private static List<RunSummary> summaries(ControlHarness h, RunId run) {
    return RunSummaries.of(h.publisher).stream().filter(s -> s.run().equals(run)).toList();
  }
}

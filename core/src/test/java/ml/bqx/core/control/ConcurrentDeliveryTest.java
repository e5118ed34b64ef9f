package ml.bqx.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.core.port.LaunchRequest;
import ml.bqx.core.testing.ControlHarness;
import ml.bqx.core.testing.RecordingPublisher;
import org.junit.jupiter.api.Test;

/**
 * Real threads racing on the store's compare-and-swap: every pair message of a 26-pair run
 * delivered three times at once, with completions racing the dispatches.
 */
class ConcurrentDeliveryTest {
  @Test
  void tripleDeliveriesOnFourThreads_launchOncePerAttempt_andKeepBothCaps() throws Exception {
    ControlHarness h = new ControlHarness(3);
    RunId run = RunId.of("threads");
    h.control.create(run, PairUniverse.PRODUCTION, new RunSettings(2, 1, 0));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 200 && !h.ledger(run).isFinished(); round++) {
        List<Future<?>> tasks = new ArrayList<>();
        for (RecordingPublisher.Published p : h.publisher.takeNew()) {
          for (int copy = 0; copy < 3; copy++) {
            tasks.add(
                pool.submit(
                    () -> {
                      h.deliver(p);
                      return null;
                    }));
          }
        }
        for (String execution : h.launcher.running()) {
          tasks.add(pool.submit(() -> h.succeed(execution)));
        }
        for (Future<?> task : tasks) {
          task.get();
        }
        assertThat(h.launcher.live()).isLessThanOrEqualTo(2);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(h.ledger(run).isFinished()).isTrue();
    Set<String> seen = new HashSet<>();
    for (LaunchRequest request : h.launcher.launches()) {
      assertThat(seen.add(request.pair() + "#" + request.attempt())).isTrue();
    }
    assertThat(h.launcher.launches()).hasSize(26);
    assertThat(h.launcher.maxLive()).isLessThanOrEqualTo(2);
    assertThat(h.context.slots().read().holders()).isEmpty();
  }
}

package ml.bqx.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.core.testing.ControlHarness;
import org.junit.jupiter.api.Test;

/**
 * The one path that ends an attempt, reached as the job's terminal event reaches it: once per
 * attempt whatever is redelivered, and the slot it gives back goes to whoever waits for it.
 */
class AttemptCloserTest {
  private static final Pair FIRST = PairUniverse.PRODUCTION.get(0);
  private static final Pair SECOND = PairUniverse.PRODUCTION.get(1);

  @Test
  void close_ofARedeliveredTerminalEvent_isIgnored_andChangesNothing() throws IOException {
    ControlHarness h = new ControlHarness(8);
    RunId run = RunId.of("redelivered");
    h.control.create(run, List.of(FIRST, SECOND), new RunSettings(1, 3, 0));
    h.drain();
    StageEvent done = h.succeed(h.launcher.running().get(0));
    h.drain();
    RunLedger once = h.ledger(run);

    Outcome again = new CompletionHandler(h.context).handle(done);
    h.drain();

    assertThat(again.kind()).isEqualTo(Outcome.Kind.IGNORED);
    assertThat(again.detail()).isEqualTo("pair is SUCCEEDED at attempt 1");
    assertThat(h.ledger(run).history()).isEqualTo(once.history());
    assertThat(h.launcher.launches()).extracting(r -> r.pair()).containsExactly(FIRST, SECOND);
    assertThat(h.context.slots().read().holders()).hasSize(1);
  }

  @Test
  void close_givesTheProjectSlotToAPairOfAnotherRunWaitingForIt() throws IOException {
    ControlHarness h = new ControlHarness(1);
    RunId holder = RunId.of("holder");
    RunId waiter = RunId.of("waiter");
    h.control.create(holder, List.of(FIRST), new RunSettings(4, 3, 0));
    h.control.create(waiter, List.of(SECOND), new RunSettings(4, 3, 0));
    h.drain();
    assertThat(h.launcher.launches()).extracting(r -> r.run()).containsExactly(holder);
    assertThat(h.ledger(waiter).pair(SECOND).orElseThrow().state()).isEqualTo(PairState.QUEUED);
    assertThat(h.context.slots().read().waiters()).extracting(w -> w.run()).containsExactly(waiter);

    h.succeed(h.launcher.running().get(0));
    h.drain();

    assertThat(h.launcher.launches()).extracting(r -> r.run()).containsExactly(holder, waiter);
    assertThat(h.ledger(waiter).pair(SECOND).orElseThrow().state()).isEqualTo(PairState.RUNNING);
    assertThat(h.context.slots().read().waiters()).isEmpty();
    assertThat(h.context.slots().read().holders())
        .singleElement()
        .satisfies(s -> assertThat(s.run()).isEqualTo(waiter));
  }
}

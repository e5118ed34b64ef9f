package ml.bqx.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import org.junit.jupiter.api.Test;

class RunLedgerTest {
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final Pair EURUSD = Pair.parse("eurusd");
  private static final Pair USDJPY = Pair.parse("usdjpy");

  private static RunLedger ledger() {
    return RunLedger.create(RunId.of("r1"), List.of(EURUSD, USDJPY), new RunSettings(1, 3, 0), T0);
  }

  @Test
  void create_queuesEveryPairAtAttemptOne_withHistory() {
    RunLedger ledger = ledger();
    assertThat(ledger.queued()).extracting(PairRecord::pair).containsExactly(EURUSD, USDJPY);
    assertThat(ledger.freeSlots()).isEqualTo(1);
    assertThat(ledger.history()).hasSize(2);
    assertThat(ledger.isFinished()).isFalse();
  }

  @Test
  void transition_legalMove_isAppliedAndRecorded() {
    RunLedger started = ledger().transition(EURUSD, 1, PairState.STARTING, T0, "slot free", r -> r);
    assertThat(started.pair(EURUSD).orElseThrow().state()).isEqualTo(PairState.STARTING);
    assertThat(started.freeSlots()).isZero();
    assertThat(started.history().get(2))
        .isEqualTo(
            new HistoryEntry(T0, EURUSD, 1, PairState.QUEUED, PairState.STARTING, "slot free"));
  }

  @Test
  void transition_illegalMove_orOtherAttempt_returnsTheSameLedger() {
    RunLedger ledger = ledger();
    assertThat(ledger.transition(EURUSD, 1, PairState.SUCCEEDED, T0, "x", r -> r)).isSameAs(ledger);
    assertThat(ledger.transition(EURUSD, 2, PairState.STARTING, T0, "x", r -> r)).isSameAs(ledger);
    assertThat(ledger.transition(Pair.parse("audnzd"), 1, PairState.STARTING, T0, "x", r -> r))
        .isSameAs(ledger);
  }

  @Test
  void transition_duplicateDelivery_changesNothingTheSecondTime() {
    RunLedger once = ledger().transition(EURUSD, 1, PairState.STARTING, T0, "a", r -> r);
    assertThat(once.transition(EURUSD, 1, PairState.STARTING, T0, "a", r -> r)).isSameAs(once);
  }

  @Test
  void succeededPair_isFinal() {
    RunLedger done =
        ledger()
            .transition(EURUSD, 1, PairState.STARTING, T0, "", r -> r)
            .transition(EURUSD, 1, PairState.RUNNING, T0, "", r -> r.withExecution("e1"))
            .transition(EURUSD, 1, PairState.SUCCEEDED, T0, "", r -> r);
    for (PairState any : PairState.values()) {
      assertThat(done.transition(EURUSD, 1, any, T0, "", r -> r)).isSameAs(done);
    }
    assertThat(done.pair(EURUSD).orElseThrow().execution()).isEqualTo("e1");
  }

  @Test
  void json_roundTrip_keepsEverything() {
    RunLedger ledger =
        ledger().transition(EURUSD, 1, PairState.STARTING, T0, "", r -> r).markSummaryPublished(T0);
    RunLedger back = Json.fromBytes(Json.toBytes(ledger), RunLedger.class);
    assertThat(back).isEqualTo(ledger);
  }
}

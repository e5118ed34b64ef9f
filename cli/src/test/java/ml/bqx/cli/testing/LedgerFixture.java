package ml.bqx.cli.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Adapters;

/**
 * Writes a finished run's ledger into a workdir's staging store through the real ledger store: one
 * pair succeeded at once, one failed its first attempt and succeeded on its second, one failed.
 */
public final class LedgerFixture {
  public static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  private LedgerFixture() {}

  public static RunLedger finishedRun(Path workdir, String run) throws IOException {
    LocalWorkdir local = new LocalWorkdir(workdir);
    URI staging = local.stagingUri();
    LedgerStore store =
        new LedgerStore(Adapters.objectStore(staging, BqxConfig.from(Map.of())), staging);
    Pair a = Pair.parse("audcad");
    Pair b = Pair.parse("eurjpy");
    Pair c = Pair.parse("nzdchf");
    RunLedger ledger =
        RunLedger.create(RunId.of(run), List.of(a, b, c), new RunSettings(2, 3, 0), T0);
    ledger = start(ledger, a, 1, 1);
    ledger = start(ledger, b, 1, 2);
    ledger = succeed(ledger, a, 1, 40);
    ledger =
        ledger.transition(
            b,
            1,
            PairState.QUEUED,
            T0.plusSeconds(45),
            "exit code 137 (killed)",
            r -> r.withAttempt(2));
    ledger = start(ledger, c, 1, 46);
    ledger = start(ledger, b, 2, 61);
    ledger =
        ledger.transition(
            c,
            1,
            PairState.FAILED,
            T0.plusSeconds(70),
            "validate failed: 12 rows < 100",
            r -> r.withOutcome(Stage.VALIDATE, "validate failed: 12 rows < 100", null, Map.of()));
    ledger = succeed(ledger, b, 2, 95);
    store.create(ledger);
    return ledger;
  }

  /**
   * A run whose one pair failed its first attempt (retryable) at {@code T0 + 45 s} and is queued
   * for its second, held back by its backoff until {@code retryAt}.
   */
  public static RunLedger backingOff(Path workdir, String run, Instant retryAt) throws IOException {
    LocalWorkdir local = new LocalWorkdir(workdir);
    URI staging = local.stagingUri();
    LedgerStore store =
        new LedgerStore(Adapters.objectStore(staging, BqxConfig.from(Map.of())), staging);
    Pair pair = Pair.parse("eurjpy");
    RunLedger ledger =
        RunLedger.create(RunId.of(run), List.of(pair), new RunSettings(1, 3, 0, 40, 600), T0);
    ledger = start(ledger, pair, 1, 1);
    ledger =
        ledger.transition(
            pair,
            1,
            PairState.QUEUED,
            T0.plusSeconds(45),
            "attempt 1 failed, retrying: extract: I/O failure: connection reset",
            r ->
                r.withAttempt(2)
                    .withExecution(null)
                    .withOutcome(
                        Stage.JOB, "extract: I/O failure: connection reset", null, Map.of())
                    .withRetryAt(retryAt));
    store.create(ledger);
    return ledger;
  }

  private static RunLedger start(RunLedger ledger, Pair pair, int attempt, int second) {
    Instant at = T0.plusSeconds(second);
    RunLedger starting =
        ledger.transition(
            pair,
            attempt,
            PairState.STARTING,
            at,
            "slot free",
            r -> r.withTimes(r.queuedAt(), at, null));
    return starting.transition(
        pair,
        attempt,
        PairState.RUNNING,
        at.plusMillis(300),
        "launched",
        r -> r.withExecution("exec-" + pair + "-a" + attempt));
  }

  private static RunLedger succeed(RunLedger ledger, Pair pair, int attempt, int second) {
    Instant at = T0.plusSeconds(second);
    return ledger.transition(
        pair,
        attempt,
        PairState.SUCCEEDED,
        at,
        "output valid",
        r ->
            r.withTimes(r.queuedAt(), r.startedAt(), at)
                .withOutcome(
                    Stage.JOB,
                    null,
                    new OutputFacts(
                        "file:///out/training_" + pair + ".parquet", 123_456, "AAAAAA==", 480, 26),
                    Map.of(
                        Metric.durationOf(Stage.EXTRACT),
                        20_000.0,
                        Metric.durationOf(Stage.MERGE),
                        5_000.0,
                        Metric.durationOf(Stage.VALIDATE),
                        1_000.0,
                        Metric.durationOf(Stage.UPLOAD),
                        2_000.0,
                        Metric.durationOf(Stage.CLEANUP),
                        500.0,
                        Metric.TABLES_PER_MIN,
                        18.0)));
  }
}

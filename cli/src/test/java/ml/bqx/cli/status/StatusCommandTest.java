package ml.bqx.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.cli.testing.LedgerFixture;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.progress.PairProgress;
import ml.bqx.core.progress.ProgressStore;
import ml.bqx.local.store.FolderObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {
  @TempDir Path dir;
  private final Clock clock = Clock.fixed(LedgerFixture.T0.plusSeconds(600), ZoneOffset.UTC);

  @Test
  void status_ofFinishedRun_showsCountsThatAddUpAndEveryPair() throws Exception {
    LedgerFixture.finishedRun(dir, "r1");
    CliRun run = CliRun.of(dir, clock, Map.of(), "status", "r1", "--workdir", dir.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("run r1 finished - cap 2, up to 3 attempts")
        .contains("3 pairs: 2 succeeded, 1 failed, 0 running, 0 queued, 0 cancelled")
        .containsPattern(
            "audcad\\s+succeeded\\s+1\\s+job\\s+39s\\s+file:///out/training_audcad.parquet")
        .containsPattern("eurjpy\\s+succeeded\\s+2\\s+")
        .containsPattern("nzdchf\\s+failed\\s+1\\s+validate\\s+.*validate failed: 12 rows < 100");
  }

  @Test
  void status_ofAPairBackingOffAfterAFailure_saysWhenItIsRetriedAndWhy() throws Exception {
    LedgerFixture.backingOff(dir, "r2", LedgerFixture.T0.plusSeconds(100));
    Clock at60 = Clock.fixed(LedgerFixture.T0.plusSeconds(60), ZoneOffset.UTC);
    CliRun run = CliRun.of(dir, at60, Map.of(), "status", "r2", "--workdir", dir.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .containsPattern(
            "eurjpy\\s+queued\\s+2\\s+job\\s+.*retrying in 40s after: extract: I/O failure:"
                + " connection reset");
    // Once its time has come it is simply queued, with its last failure.
    Clock later = Clock.fixed(LedgerFixture.T0.plusSeconds(101), ZoneOffset.UTC);
    CliRun after = CliRun.of(dir, later, Map.of(), "status", "r2", "--workdir", dir.toString());
    assertThat(after.out()).doesNotContain("retrying in").contains("connection reset");
  }

  @Test
  void status_ofARunningPair_showsWhatItsJobsProgressObjectSays_textAndJson() throws Exception {
    LocalWorkdir local = new LocalWorkdir(dir);
    RunId run = RunId.of("r3");
    Pair pair = Pair.parse("eurjpy");
    Instant t0 = LedgerFixture.T0;
    RunLedger ledger =
        RunLedger.create(run, List.of(pair, Pair.parse("audcad")), new RunSettings(1, 3, 0), t0)
            .transition(pair, 1, PairState.STARTING, t0, "slot", r -> r.withTimes(t0, t0, null))
            .transition(pair, 1, PairState.RUNNING, t0, "exec", r -> r.withExecution("e-1"));
    new LedgerStore(new FolderObjectStore(), local.stagingUri()).create(ledger);
    // What the job wrote 5 s ago, through the same store port a job on Google Cloud writes GCS.
    PairProgress progress =
        PairProgress.started(run, pair, 1, t0)
            .after(StageEvent.of(run, pair, 1, Stage.EXTRACT, EventStatus.STARTED, t0))
            .after(
                StageEvent.of(run, pair, 1, Stage.EXTRACT, EventStatus.PROGRESS, t0)
                    .withMetrics(
                        Map.of(
                            Metric.TABLES, 12.0,
                            Metric.TABLES_TOTAL, 41.0,
                            Metric.TABLES_PER_MIN, 240.0)))
            .writtenAt(t0.plusSeconds(50));
    new ProgressStore(new FolderObjectStore(), local.stagingUri()).write(progress);
    Clock at55 = Clock.fixed(t0.plusSeconds(55), ZoneOffset.UTC);

    CliRun text = CliRun.of(dir, at55, Map.of(), "status", "r3", "--workdir", dir.toString());

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("live: 0 done, 0 failed, 1 running, 1 queued | 240 tables/min | ETA -")
        .containsPattern(
            "eurjpy\\s+running\\s+1\\s+extract\\s+55s\\s+12/41 tables, 240 tables/min, ETA 7s"
                + " \\(progress of 5s ago\\)");
    CliRun json =
        CliRun.of(dir, at55, Map.of(), "status", "r3", "--json", "--workdir", dir.toString());
    var tree = Json.MAPPER.readTree(json.out());
    assertThat(tree.get("run").asText()).isEqualTo("r3");
    var live = tree.get("live").get("pairs").get(0);
    assertThat(live.get("pair").asText()).isEqualTo("eurjpy");
    assertThat(live.get("stage").asText()).isEqualTo("extract");
    assertThat(live.get("tablesDone").asInt()).isEqualTo(12);
    assertThat(live.get("tablesTotal").asInt()).isEqualTo(41);
    assertThat(live.get("etaSeconds").asDouble()).isEqualTo(7.25);
  }

  @Test
  void status_withoutRun_showsTheNewest() throws Exception {
    LedgerFixture.finishedRun(dir, "r1");
    CliRun run =
        CliRun.of(dir, clock, Map.of("BQX_STAGING", "file://" + dir.resolve("staging")), "status");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("run r1 ");
  }

  @Test
  void statusJson_isTheLedger() throws Exception {
    RunLedger written = LedgerFixture.finishedRun(dir, "r1");
    CliRun run =
        CliRun.of(dir, clock, Map.of(), "status", "r1", "--json", "--workdir", dir.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(
            Json.fromBytes(
                run.out().getBytes(java.nio.charset.StandardCharsets.UTF_8), RunLedger.class))
        .isEqualTo(written);
  }

  @Test
  void watch_ofFinishedRun_printsOnceAndEnds() throws Exception {
    LedgerFixture.finishedRun(dir, "r1");
    CliRun run =
        CliRun.of(dir, clock, Map.of(), "status", "r1", "--watch", "--workdir", dir.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines().filter(l -> l.startsWith("run r1"))).hasSize(1);
  }
}

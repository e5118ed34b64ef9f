package ml.bqx.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.cli.testing.LedgerFixture;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.RunLedger;
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

package ml.bqx.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.cli.testing.LedgerFixture;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.message.RunId;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.local.store.FolderObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Commands on a run that does not exist, a pair that is not in it, or a ledger that is no ledger
 * (issue 15, item 11): one line naming the run, exit 2, and nothing published.
 */
class RunCommandRefusalTest {
  @TempDir Path dir;

  private LocalWorkdir work() {
    return new LocalWorkdir(dir.resolve("w"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"publish eurusd --run nope", "retry nope", "cancel nope"})
  void onAnUnknownRun_saysThereIsNoSuchRun_notThatNoRunnerIsUp(String command) throws Exception {
    LedgerFixture.finishedRun(work().root(), "r1");
    CliRun run = CliRun.of(dir, (command + " --workdir w").split(" "));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly(
            "bqx: no run 'nope' (no ledger at " + work().stagingUri() + "/runs/nope/ledger.json)");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void publish_ofAPairNotInTheRun_isRefusedBeforePublishing() throws Exception {
    LedgerFixture.finishedRun(work().root(), "r1");
    CliRun run = CliRun.of(dir, "publish", "eurusd", "--run", "r1", "--workdir", "w");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().lines()).containsExactly("bqx: pair eurusd is not in run 'r1'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void retry_ofAFinishedLocalRunWithoutARunner_startsOne_whichSaysWhatItLacks() throws Exception {
    LedgerFixture.finishedRun(work().root(), "r1");
    CliRun run = CliRun.of(dir, "retry", "r1", "--workdir", "w");
    // It goes on as bqx local run --resume would (CancelRetryEndToEndTest builds a real one):
    // this workdir has the run's ledger but no warehouse to build it from.
    assertThat(run.out())
        .contains(
            "no local runner is live for " + work().root() + ": starting one to retry run r1");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly("bqx: no warehouse to resume run 'r1' with in " + work().root());
  }

  @Test
  void status_ofALedgerThatIsAnEmptyObject_namesTheRunTheObjectAndWhatItLacks() throws Exception {
    LedgerStore ledgers = new LedgerStore(new FolderObjectStore(), work().stagingUri());
    new FolderObjectStore()
        .write(
            ledgers.ledgerUri(RunId.of("r1")),
            "{}".getBytes(StandardCharsets.UTF_8),
            WritePrecondition.doesNotExist());

    CliRun run = CliRun.of(dir, "status", "r1", "--workdir", "w");

    assertThat(run.exitCode()).as(run.err()).isNotZero();
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .contains("'r1'")
        .contains(ledgers.ledgerUri(RunId.of("r1")).toString())
        .contains("not a valid RunLedger: it has no schema, run, createdAt, settings, pairs")
        .doesNotContain("Exception");
  }
}

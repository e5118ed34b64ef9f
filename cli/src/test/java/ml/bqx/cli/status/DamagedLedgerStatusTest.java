package ml.bqx.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import ml.bqx.cli.target.LocalWorkdir;
import ml.bqx.cli.testing.CliRun;
import ml.bqx.cli.testing.LedgerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bqx status} of a run whose ledger was damaged in the workdir (issue 15, items 4 and 8):
 * one line naming the run and the object and why, and the ledger left as it is.
 */
class DamagedLedgerStatusTest {
  @TempDir Path dir;

  private Path ledger() {
    return new LocalWorkdir(dir).stagingDir().resolve("runs/r1/ledger.json");
  }

  @Test
  void status_ofATruncatedLedger_saysWhichRunAndObjectAndBothSizes() throws Exception {
    LedgerFixture.finishedRun(dir, "r1");
    long size = Files.size(ledger());
    try (FileChannel file = FileChannel.open(ledger(), StandardOpenOption.WRITE)) {
      file.truncate(size / 2);
    }
    byte[] damaged = Files.readAllBytes(ledger());

    CliRun run = CliRun.of(dir, "status", "r1", "--workdir", dir.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err().lines())
        .containsExactly(
            "bqx: I/O failure: the ledger of run 'r1' is refused: "
                + ledger().toUri()
                + ": stored size "
                + size
                + " bytes, found "
                + size / 2
                + ": the object is damaged");
    assertThat(Files.readAllBytes(ledger())).isEqualTo(damaged);
  }

  @Test
  void status_ofALedgerWhoseRecordIsGone_saysSoInsteadOfNoSuchRun() throws Exception {
    LedgerFixture.finishedRun(dir, "r1");
    Files.delete(ledger().resolveSibling(".ledger.json.meta"));

    CliRun run = CliRun.of(dir, "status", "r1", "--workdir", dir.toString());

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("bqx: I/O failure: the ledger of run 'r1' is refused: " + ledger().toUri())
        .endsWith(": the object is damaged");
  }
}

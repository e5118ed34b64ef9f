package ml.bqx.local.ledger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.DamagedObjectException;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.local.store.FolderObjectStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's ledger damaged under the folder store (its record deleted, its file cut short, its JSON
 * broken): loading, updating and creating the run again are refused with one line naming the run
 * and the object, and the ledger stays byte for byte as it was, its history whole.
 */
class DamagedLedgerTest {
  private static final RunId RUN = RunId.of("r1");
  private static final List<Pair> PAIRS = List.of(Pair.parse("eurusd"), Pair.parse("usdjpy"));

  @TempDir Path dir;
  private LedgerStore ledgers;
  private Path file;
  private Path meta;

  /** A run 12 history entries long: created with two pairs, then ten steps. */
  @BeforeEach
  void runWithTwelveHistoryEntries() throws IOException {
    ledgers = new LedgerStore(new FolderObjectStore(), dir.toUri());
    ledgers.create(RunLedger.create(RUN, PAIRS, new RunSettings(2, 3, 0), LedgerWorker.FIXED));
    for (int i = 0; i < 10; i++) {
      Pair pair = PAIRS.get(i % 2);
      ledgers.update(RUN, l -> LedgerWorker.step(l, pair));
    }
    assertThat(ledgers.load(RUN).orElseThrow().history()).hasSize(12);
    file = Path.of(ledgers.ledgerUri(RUN));
    meta = file.resolveSibling(".ledger.json.meta");
  }

  @Test
  void recordDeleted_createOfTheSameRun_isRefused_andTheHistoryStays() throws IOException {
    byte[] before = Files.readAllBytes(file);
    Files.delete(meta);

    RunLedger again = RunLedger.create(RUN, PAIRS, new RunSettings(2, 3, 0), LedgerWorker.FIXED);
    refused(() -> ledgers.create(again), "its content is there without its record");
    refused(() -> ledgers.load(RUN), "its content is there without its record");
    assertThat(ledgers.runs()).containsExactly(RUN);

    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(Json.fromBytes(Files.readAllBytes(file), RunLedger.class).history()).hasSize(12);
  }

  @Test
  void truncated_loadAndUpdate_areRefusedWithBothSizes_andNothingWritesOverIt() throws IOException {
    long size = Files.size(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size / 2);
    }
    byte[] damaged = Files.readAllBytes(file);

    String sizes = "stored size " + size + " bytes, found " + size / 2 + ": the object is damaged";
    refused(() -> ledgers.load(RUN), sizes);
    refused(() -> ledgers.update(RUN, l -> LedgerWorker.step(l, PAIRS.get(0))), sizes);
    RunLedger again = RunLedger.create(RUN, PAIRS, new RunSettings(2, 3, 0), LedgerWorker.FIXED);
    refused(() -> ledgers.create(again), sizes);

    assertThat(Files.readAllBytes(file)).isEqualTo(damaged);
  }

  @Test
  void notALedger_isRefusedNamingTheRunAndTheObject() throws IOException {
    long generation =
        new FolderObjectStore().stat(ledgers.ledgerUri(RUN)).orElseThrow().generation();
    byte[] broken = "{\"run\":\"r1\",\"pairs\":[".getBytes(UTF_8);
    new FolderObjectStore()
        .write(ledgers.ledgerUri(RUN), broken, WritePrecondition.generationMatches(generation));

    refused(() -> ledgers.load(RUN), "is not a valid RunLedger: ");
    refused(
        () -> ledgers.update(RUN, l -> LedgerWorker.step(l, PAIRS.get(0))),
        "is not a valid RunLedger: ");

    assertThat(Files.readAllBytes(file)).isEqualTo(broken);
  }

  private void refused(Executable call, String reason) {
    DamagedObjectException e = assertThrows(DamagedObjectException.class, call);
    assertThat(e.getMessage())
        .startsWith("the ledger of run 'r1' is refused: " + ledgers.ledgerUri(RUN))
        .contains(reason)
        .doesNotContain("\n");
  }
}

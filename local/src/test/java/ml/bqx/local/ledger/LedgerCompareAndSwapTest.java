package ml.bqx.local.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import ml.bqx.core.ledger.HistoryEntry;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.core.testing.ChildProcesses;
import ml.bqx.local.launcher.JavaCommand;
import ml.bqx.local.store.FolderObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run ledger under contention on the local folder store: concurrent writers in threads and in
 * separate processes lose no update, and the result equals applying the same steps one by one.
 */
@ExtendWith(ChildProcesses.class)
class LedgerCompareAndSwapTest {
  private static final int STEPS = 50;
  private static final RunId RUN = RunId.of("contention");

  @TempDir Path dir;

  @Test
  void update_eightThreadsAndTwoProcesses_loseNoUpdate_andEqualTheSerialResult() throws Exception {
    URI staging = dir.toUri();
    List<Pair> threadPairs = PairUniverse.PRODUCTION.subList(0, 8);
    List<Pair> processPairs = PairUniverse.PRODUCTION.subList(8, 10);
    List<Pair> all = new ArrayList<>(threadPairs);
    all.addAll(processPairs);
    RunLedger initial = RunLedger.create(RUN, all, new RunSettings(4, 3, 0), LedgerWorker.FIXED);
    LedgerStore store = new LedgerStore(new FolderObjectStore(), staging);
    store.create(initial);

    List<Process> processes = new ArrayList<>();
    for (Pair pair : processPairs) {
      processes.add(startWorkerProcess(staging, pair));
    }
    ExecutorService threads = Executors.newFixedThreadPool(threadPairs.size());
    List<Future<?>> done = new ArrayList<>();
    for (Pair pair : threadPairs) {
      done.add(
          threads.submit(
              () -> {
                LedgerWorker.run(
                    new LedgerStore(new FolderObjectStore(), staging), RUN, pair, STEPS);
                return null;
              }));
    }
    for (Future<?> future : done) {
      future.get(5, TimeUnit.MINUTES);
    }
    threads.shutdown();
    for (Process process : processes) {
      assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
      assertThat(process.exitValue())
          .as(new String(process.getInputStream().readAllBytes()))
          .isZero();
    }

    RunLedger serial = initial;
    for (Pair pair : all) {
      for (int i = 0; i < STEPS; i++) {
        serial = LedgerWorker.step(serial, pair);
      }
    }
    RunLedger actual = store.load(RUN).orElseThrow();
    assertThat(actual.pairs()).isEqualTo(serial.pairs());
    assertThat(actual.history()).hasSize(all.size() + all.size() * STEPS);
    for (Pair pair : all) {
      List<HistoryEntry> ofPair =
          actual.history().stream().filter(h -> h.pair().equals(pair)).toList();
      List<HistoryEntry> expected =
          serial.history().stream().filter(h -> h.pair().equals(pair)).toList();
      assertThat(ofPair).as("history of " + pair).isEqualTo(expected);
    }
  }

  private static Process startWorkerProcess(URI staging, Pair pair) throws Exception {
    return new ProcessBuilder(
            JavaCommand.of(
                LedgerWorker.class.getName(),
                List.of(),
                List.of(staging.toString(), RUN.value(), pair.name(), Integer.toString(STEPS))))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .directory(new File(System.getProperty("user.dir")))
        .start();
  }
}

package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.port.StoreUris;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.core.verify.StoredObjectVerifier;
import ml.bqx.job.testing.JobFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconcile of an execution whose terminal event was lost, with the completion's real output check
 * (store facts, then the Parquet footer): a SUCCEEDED execution whose file is this attempt's own
 * succeeds without running again, with the facts its footer holds; a file of another run is a
 * retryable failure. Reconcile's other cases are core's test (ReconcilerTest).
 */
class ReconcileLostEventTest {
  private static final RunId RUN = RunId.of("lost-event");
  @TempDir static Path jobs;
  private static byte[] thisAttemptsFile;
  private static byte[] anotherRunsFile;
  private static OutputFacts jobFacts;

  @TempDir Path dir;
  private Harness h;

  @BeforeAll
  static void buildRealTrainingFiles() throws IOException {
    JobFixture job = new JobFixture(jobs).seeded();
    Path file = job.output.resolve("training_eurusd.parquet");
    assertThat(JobFixture.runInProcess(job.env("eurusd", "another-run", 1)).exitCode()).isZero();
    anotherRunsFile = Files.readAllBytes(file);
    assertThat(JobFixture.runInProcess(job.env("eurusd", RUN.value(), 1)).exitCode()).isZero();
    thisAttemptsFile = Files.readAllBytes(file);
    jobFacts =
        job.events().stream()
            .filter(StageEvent::isJobTerminal)
            .filter(e -> e.run().equals(RUN))
            .findFirst()
            .orElseThrow()
            .output();
  }

  @BeforeEach
  void startWithOneRunningPair() throws IOException {
    h =
        new Harness(
            dir,
            8,
            store -> new StoredObjectVerifier(store).andThen(new ParquetFooterVerifier(store)));
    h.control.create(RUN, List.of(JobFixture.EURUSD), new RunSettings(2, 3, 0));
    h.drain();
    assertThat(h.launcher.running()).hasSize(1);
  }

  /** The job ends as the launcher sees it, having published {@code file}; its event is lost. */
  private void jobEndsWithoutItsEvent(ExecutionState.Phase phase, byte[] file) throws IOException {
    if (file != null) {
      h.store.write(outputUri(), file, WritePrecondition.none());
    }
    h.launcher.end(h.launcher.running().get(0), phase);
    h.publisher.takeNew();
    h.reconcile.accept(
        Harness.cloudEvent("bqx-reconcile", new BusMessage(new byte[0], Map.of()), "r1"));
    h.drain();
  }

  private URI outputUri() {
    return StoreUris.resolve(h.output, "training_eurusd.parquet");
  }

  private PairRecord eurusd() throws IOException {
    return h.ledger(RUN).pair(JobFixture.EURUSD).orElseThrow();
  }

  @Test
  void reconcile_succeededExecutionWithItsOwnFile_marksSucceededWithoutRunningAgain()
      throws IOException {
    jobEndsWithoutItsEvent(ExecutionState.Phase.SUCCEEDED, thisAttemptsFile);

    PairRecord record = eurusd();
    assertThat(record.state()).isEqualTo(PairState.SUCCEEDED);
    assertThat(record.attempt()).isEqualTo(1);
    // The facts come from the file itself: the same as the lost event carried.
    assertThat(record.output())
        .isEqualTo(
            new OutputFacts(
                outputUri().toString(),
                jobFacts.bytes(),
                jobFacts.crc32c(),
                jobFacts.rows(),
                jobFacts.columns()));
    assertThat(h.launcher.launches()).hasSize(1);
    RunLedger ledger = h.ledger(RUN);
    assertThat(ledger.isFinished()).isTrue();
    assertThat(ledger.summaryPublishedAt()).isNotNull();
    assertThat(h.context.slots().read().holders()).isEmpty();
  }

  @Test
  void reconcile_succeededExecutionWithAnotherRunsFile_retries() throws IOException {
    jobEndsWithoutItsEvent(ExecutionState.Phase.SUCCEEDED, anotherRunsFile);

    PairRecord record = eurusd();
    assertThat(record.attempt()).isEqualTo(2);
    assertThat(record.state()).isEqualTo(PairState.RUNNING);
    assertThat(record.lastError())
        .contains("ended SUCCEEDED without its terminal event", "rejected", "another-run");
    assertThat(h.launcher.launches()).extracting(r -> r.attempt()).containsExactly(1, 2);
  }
}

package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.core.verify.OutputExpectation;
import ml.bqx.core.verify.OutputVerifier;
import ml.bqx.core.verify.StoredObjectVerifier;
import ml.bqx.core.verify.Verdict;
import ml.bqx.job.testing.JobFixture;
import ml.bqx.local.store.FolderObjectStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The completion function's output check (as {@link FunctionWiring} chains it) on a training file
 * the real job wrote: it passes, and a corrupt, truncated, wrong-pair or wrong-CRC file is rejected
 * with its reason.
 */
class ParquetFooterVerifierTest {
  private static final RunId RUN = RunId.of("verify");
  @TempDir static Path dir;
  private static JobFixture job;
  private static OutputFacts facts;
  private final FolderObjectStore store = new FolderObjectStore();
  private final OutputVerifier verifier =
      new StoredObjectVerifier(store).andThen(new ParquetFooterVerifier(store));

  @BeforeAll
  static void buildATrainingFile() throws IOException {
    job = new JobFixture(dir).seeded();
    assertThat(JobFixture.runInProcess(job.env("eurusd", RUN.value(), 1)).exitCode()).isZero();
    facts =
        job.events().stream().filter(StageEvent::isJobTerminal).findFirst().orElseThrow().output();
  }

  private OutputExpectation expect(URI uri, Pair pair, String crc32c, long bytes) {
    return new OutputExpectation(uri, RUN, pair, 1, crc32c, bytes, 1, 1L << 40, 400, 20);
  }

  private OutputExpectation expectTheJobsFile(URI uri) {
    return expect(uri, JobFixture.EURUSD, facts.crc32c(), facts.bytes());
  }

  /** Writes a changed copy of the real file and returns the expectation of it. */
  private OutputExpectation copyAs(String name, byte[] content) throws IOException {
    URI uri = job.output.resolve(name).toUri();
    var info = store.write(uri, content, WritePrecondition.none());
    return expect(uri, JobFixture.EURUSD, info.crc32c(), info.size());
  }

  @Test
  void theJobsFile_isValid() throws IOException {
    assertThat(verifier.verify(expectTheJobsFile(URI.create(facts.uri()))))
        .isEqualTo(Verdict.ok(facts));
  }

  @Test
  void wrongCrc_isRejected() throws IOException {
    Verdict verdict =
        verifier.verify(
            expect(URI.create(facts.uri()), JobFixture.EURUSD, "AAAAAA==", facts.bytes()));
    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).contains("CRC32C");
  }

  @Test
  void wrongPair_isRejectedFromTheFootersMetadata() throws IOException {
    Verdict verdict =
        verifier.verify(
            expect(URI.create(facts.uri()), Pair.parse("gbpusd"), facts.crc32c(), facts.bytes()));
    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).contains("eurusd").contains("gbpusd");
  }

  @Test
  void truncatedFile_isRejected() throws IOException {
    byte[] whole = Files.readAllBytes(Path.of(URI.create(facts.uri())));
    Verdict verdict =
        verifier.verify(copyAs("truncated.parquet", Arrays.copyOf(whole, whole.length / 2)));
    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).isNotBlank().doesNotContain("\n");
  }

  @Test
  void corruptFooter_isRejected() throws IOException {
    byte[] bytes = Files.readAllBytes(Path.of(URI.create(facts.uri())));
    for (int i = bytes.length - 400; i < bytes.length - 8; i++) {
      bytes[i] = (byte) ~bytes[i];
    }
    Verdict verdict = verifier.verify(copyAs("corrupt.parquet", bytes));
    assertThat(verdict.valid()).isFalse();
    assertThat(verdict.reason()).isNotBlank().doesNotContain("\n");
  }
}

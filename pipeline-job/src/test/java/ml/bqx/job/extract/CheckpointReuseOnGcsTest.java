package ml.bqx.job.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import ml.bqx.core.message.RunId;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.gcp.storage.GcsObjectStore;
import ml.bqx.job.stage.JobPaths;
import ml.bqx.job.testing.JobFixture;
import ml.bqx.local.warehouse.DuckDbWarehouse;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.WarehouseSeeder;
import ml.bqx.wire.gcs.FakeGcsServer;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reusing cached checkpoints on GCS, counted at the wire by the loopback GCS fake: a checkpoint
 * whose generation, size and CRC32C are those its marker recorded is reused without reading its
 * bytes (GCS objects are immutable per generation), and one replaced under the same name (a new
 * generation) is extracted again.
 */
class CheckpointReuseOnGcsTest {
  private static final int TABLES = 4;

  @TempDir Path dir;
  private final FakeGcsServer gcs = new FakeGcsServer("staging", () -> Instant.EPOCH);

  CheckpointReuseOnGcsTest() throws java.io.IOException {}

  @AfterEach
  void stop() {
    gcs.close();
  }

  @Test
  void aSecondRun_reusesEveryCheckpoint_withoutReadingOne_andExtractsAReplacedOneAgain()
      throws Exception {
    JobFixture fixture = new JobFixture(dir);
    WarehouseSeeder.seed(
        fixture.warehouse,
        new SeedSpec(List.of(JobFixture.EURUSD), TABLES, 2_000, 4, 7),
        SeedProgress.NONE);
    ObjectStore staging = new GcsObjectStore(gcs.client());
    assertThat(staging.generationFixesContent()).isTrue();

    ExtractResult first = extract(fixture, staging, "gcs-1");
    assertThat(first.reused()).isZero();
    gcs.requests.clear();
    ExtractResult second = extract(fixture, staging, "gcs-2");

    assertThat(second.reused()).isEqualTo(TABLES + 1);
    assertThat(gcs.requestsSoFar())
        .as("reads of a cached checkpoint's bytes")
        .noneMatch(r -> r.contains(".parquet?") && r.contains("alt=media"));

    // The same name written again: a new generation, which its marker does not describe.
    Checkpoint replaced = second.checkpoints().get(1);
    String name = replaced.uri().getPath().substring(1);
    gcs.put(name, gcs.content(name));
    ExtractResult third = extract(fixture, staging, "gcs-3");

    assertThat(third.tables(false)).containsExactly(replaced.table());
  }

  private ExtractResult extract(JobFixture fixture, ObjectStore staging, String run)
      throws Exception {
    JobPaths paths =
        new JobPaths(
            URI.create("gs://staging/"),
            fixture.output.toUri(),
            RunId.of(run),
            JobFixture.EURUSD,
            1);
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(fixture.warehouse);
        RootAllocator root = new RootAllocator()) {
      Extractor extractor =
          new Extractor(
              warehouse,
              new CheckpointCache(staging, paths, 1_000, Duration.ofDays(30), Clock.systemUTC()),
              new ExtractConcurrency(OptionalInt.of(2), ExtractConcurrency.Machine.current()),
              root);
      return extractor.extract(
          ExtractPlan.of(JobFixture.EURUSD, warehouse.discover(JobFixture.EURUSD)),
          (t, r, d, a) -> {});
    }
  }
}

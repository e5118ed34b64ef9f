package ml.bqx.job.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import ml.bqx.core.message.RunId;
import ml.bqx.job.stage.JobFailure;
import ml.bqx.job.stage.JobPaths;
import ml.bqx.job.testing.JobFixture;
import ml.bqx.local.store.FolderObjectStore;
import ml.bqx.local.warehouse.DuckDbWarehouse;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.WarehouseSeeder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table that fails while others are in flight: the extractor reports that table's reason and
 * returns only once every table in flight has closed its allocator, so the job's root allocator
 * closes clean instead of reporting a leak over the real failure.
 */
class ExtractorFailureTest {
  @TempDir Path dir;

  @Test
  void aFailingTable_isTheReason_andNoArrowMemoryIsLeftWhenExtractReturns() throws Exception {
    JobFixture fixture = new JobFixture(dir);
    WarehouseSeeder.seed(
        fixture.warehouse,
        new SeedSpec(List.of(JobFixture.EURUSD), 6, 100_000, 16, 3),
        SeedProgress.NONE);
    String first = WarehouseSeeder.featureTableName(JobFixture.EURUSD, 0);
    // Sorted first among the feature tables, its duplicate in its first rows: it fails at once,
    // while the next tables are being read.
    fixture.sql(
        "CREATE TABLE bqx_ml_v3_features_v2.a00_dup_eurusd AS (SELECT * FROM"
            + " bqx_ml_v3_features_v2."
            + first
            + " LIMIT 1) UNION ALL (SELECT * FROM bqx_ml_v3_features_v2."
            + first
            + " LIMIT 1)");
    JobPaths paths =
        new JobPaths(
            fixture.staging.toUri(),
            fixture.output.toUri(),
            RunId.of("leak-1"),
            JobFixture.EURUSD,
            1);
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(fixture.warehouse)) {
      BufferAllocator root = new RootAllocator();
      Extractor extractor =
          new Extractor(
              warehouse,
              new CheckpointCache(
                  new FolderObjectStore(),
                  paths,
                  100_000,
                  java.time.Duration.ofDays(30),
                  java.time.Clock.systemUTC()),
              new ExtractConcurrency(OptionalInt.of(3), ExtractConcurrency.Machine.current()),
              root);
      ExtractPlan plan = ExtractPlan.of(JobFixture.EURUSD, warehouse.discover(JobFixture.EURUSD));

      JobFailure failure =
          assertThrows(JobFailure.class, () -> extractor.extract(plan, (t, r, d, a) -> {}));

      assertThat(failure.getMessage()).startsWith("duplicate keys in table a00_dup_eurusd");
      assertThat(root.getChildAllocators()).isEmpty();
      assertThat(root.getAllocatedMemory()).isZero();
      root.close(); // a leak would throw here
    }
  }
}

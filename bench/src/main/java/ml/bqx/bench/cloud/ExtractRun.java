package ml.bqx.bench.cloud;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.Warehouse;
import ml.bqx.job.extract.CheckpointCache;
import ml.bqx.job.extract.ExtractConcurrency;
import ml.bqx.job.extract.ExtractPlan;
import ml.bqx.job.extract.ExtractResult;
import ml.bqx.job.extract.Extractor;
import ml.bqx.job.stage.JobPaths;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One extraction with the job's Extractor: the pair's targets and its first {@code tables} feature
 * tables, from a warehouse into checkpoints on a store, at a fixed concurrency; local or on the
 * wire, the same code.
 */
public final class ExtractRun {
  private ExtractRun() {}

  /** The result and its figures: seconds, tables, tablesPerMin, bytes, reused. */
  public record Measured(ExtractResult result, Map<String, Double> figures) {}

  public static Measured run(
      Warehouse warehouse,
      ObjectStore store,
      URI staging,
      Pair pair,
      String run,
      int tables,
      int concurrency,
      int rowGroupRows,
      BufferAllocator allocator)
      throws IOException {
    JobPaths paths = new JobPaths(staging, staging, RunId.of(run), pair, 1);
    ExtractPlan full = ExtractPlan.of(pair, warehouse.discover(pair));
    ExtractPlan plan = new ExtractPlan(pair, full.targets(), full.features().subList(0, tables));
    CheckpointCache cache =
        new CheckpointCache(
            store,
            paths,
            rowGroupRows,
            Duration.ofDays(Integer.parseInt(EnvKey.BQX_CHECKPOINT_DAYS.defaultValue())),
            Clock.systemUTC());
    Extractor extractor =
        new Extractor(
            warehouse,
            cache,
            new ExtractConcurrency(
                OptionalInt.of(concurrency), ExtractConcurrency.Machine.current()),
            allocator);
    long started = System.nanoTime();
    ExtractResult result = extractor.extract(plan, (table, reused, done, total) -> {});
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("seconds", seconds);
    figures.put("tables", (double) result.checkpoints().size());
    figures.put("tablesPerMin", result.checkpoints().size() * 60.0 / seconds);
    figures.put("bytes", (double) result.bytes());
    figures.put("reused", (double) result.reused());
    return new Measured(result, figures);
  }
}

package ml.bqx.bench.cloud;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.job.JobEvents;
import ml.bqx.job.JobSettings;
import ml.bqx.job.PipelineJob;
import ml.bqx.job.extract.Checkpoint;
import ml.bqx.local.warehouse.DuckDbWarehouse;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The tasks of {@code bqx bench --cloud}, each run in a child JVM against {@link GoogleOnLoopback}:
 * the whole job, the extraction at one concurrency, the merge of prepared checkpoints on GCS; and
 * the checkpoint encoding alone ({@link EncodingRate}).
 */
public final class CloudTasks {
  private static final String TOPIC = "bqx-stage-events";

  private CloudTasks() {}

  private static CloudProfile profile(Map<String, String> a) {
    return new CloudProfile(
        Double.parseDouble(a.get("gcsLatencyMs")),
        Double.parseDouble(a.get("gcsMbpsPerStream")),
        Double.parseDouble(a.get("readSessionMs")),
        Double.parseDouble(a.get("readMbpsPerStream")),
        Double.parseDouble(a.get("publishLatencyMs")));
  }

  /** The whole job with the Google adapters: per stage seconds, requests and bytes. */
  public static Map<String, Double> job(Map<String, String> a, Pair pair) throws IOException {
    RunId run = RunId.of(a.get("run"));
    Clock clock = Clock.systemUTC();
    try (DuckDbWarehouse seeded = DuckDbWarehouse.open(Path.of(a.get("warehouse")));
        BufferAllocator allocator = new RootAllocator();
        GoogleOnLoopback wire =
            new GoogleOnLoopback(profile(a), seeded, pair, allocator, Path.of(a.get("objects")));
        Warehouse warehouse = wire.warehouse();
        StageMeter meter = new StageMeter(wire.publisher(), wire::counts)) {
      JobSettings settings =
          new JobSettings(
              pair,
              run,
              1,
              URI.create("bigquery://" + GoogleOnLoopback.PROJECT + "/" + WarehouseLayout.DATASET),
              GoogleOnLoopback.uri("staging"),
              GoogleOnLoopback.uri("output"),
              URI.create("pubsub://" + GoogleOnLoopback.PROJECT),
              TOPIC,
              a.get("concurrency").equals("auto")
                  ? OptionalInt.empty()
                  : OptionalInt.of(Integer.parseInt(a.get("concurrency"))),
              Integer.parseInt(a.get("rowGroupRows")),
              Integer.parseInt(EnvKey.BQX_CHECKPOINT_DAYS.defaultValue()),
              Long.parseLong(a.get("minRows")),
              Integer.parseInt(a.get("minColumns")));
      JobEvents events = new JobEvents(meter, TOPIC, new JobSettings.Identity(pair, run, 1), clock);
      ObjectStore store = wire.objectStore();
      WireCounts before = wire.counts();
      long started = System.nanoTime();
      OutputFacts facts = new PipelineJob(settings, warehouse, store, store, events, clock).run();
      double seconds = (System.nanoTime() - started) / 1e9;
      Map<String, Double> figures = new LinkedHashMap<>();
      figures.put("seconds", seconds);
      figures.putAll(meter.figures());
      figures.putAll(wire.counts().minus(before).figures("total"));
      figures.put("rows", (double) facts.rows());
      figures.put("columns", (double) facts.columns());
      figures.put("outputBytes", (double) facts.bytes());
      figures.put("cpus", (double) Runtime.getRuntime().availableProcessors());
      return figures;
    }
  }

  /** The job's Extractor over BigQuery's adapter into checkpoints on GCS, at one concurrency. */
  public static Map<String, Double> extract(Map<String, String> a, Pair pair) throws IOException {
    try (DuckDbWarehouse seeded = DuckDbWarehouse.open(Path.of(a.get("warehouse")));
        BufferAllocator allocator = new RootAllocator();
        GoogleOnLoopback wire =
            new GoogleOnLoopback(profile(a), seeded, pair, allocator, Path.of(a.get("objects")));
        Warehouse warehouse = wire.warehouse()) {
      WireCounts before = wire.counts();
      Map<String, Double> figures =
          ExtractRun.run(
                  warehouse,
                  wire.objectStore(),
                  GoogleOnLoopback.uri("staging"),
                  pair,
                  a.get("run"),
                  Integer.parseInt(a.get("tables")),
                  Integer.parseInt(a.get("concurrency")),
                  Integer.parseInt(a.get("rowGroupRows")),
                  allocator)
              .figures();
      figures.putAll(wire.counts().minus(before).figures("wire"));
      return figures;
    }
  }

  /**
   * The merge of prepared checkpoints into an upload on GCS, what the job's merge stage does on
   * Google Cloud, against the fake GCS at {@code gcsUrl} that holds them as {@link
   * MergeOnWire#name} (the bench's own process serves it, so this child's memory is the merge's
   * alone; the bench counts the requests).
   */
  public static Map<String, Double> merge(Map<String, String> a, List<Checkpoint> local)
      throws IOException {
    List<Checkpoint> onGcs = new ArrayList<>();
    for (Checkpoint checkpoint : local) {
      onGcs.add(
          new Checkpoint(
              checkpoint.table(),
              GoogleOnLoopback.uri(MergeOnWire.name(checkpoint)),
              checkpoint.columns(),
              checkpoint.size(),
              checkpoint.reused()));
    }
    return MergeTiming.run(
        GoogleOnLoopback.objectStore(a.get("gcsUrl")),
        onGcs,
        GoogleOnLoopback.uri(MergeOnWire.OUTPUT));
  }

  /** Arrow to Parquet alone, on one thread: see {@link EncodingRate}. */
  public static Map<String, Double> encode(Map<String, String> a, Pair pair) throws IOException {
    try (DuckDbWarehouse seeded = DuckDbWarehouse.open(Path.of(a.get("warehouse")));
        BufferAllocator allocator = new RootAllocator()) {
      return EncodingRate.measure(
          seeded,
          pair,
          Integer.parseInt(a.get("tables")),
          Integer.parseInt(a.get("rowGroupRows")),
          allocator);
    }
  }
}

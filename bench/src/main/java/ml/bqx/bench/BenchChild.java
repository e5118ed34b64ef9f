package ml.bqx.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import ml.bqx.bench.cloud.CloudTasks;
import ml.bqx.bench.cloud.ExtractRun;
import ml.bqx.bench.cloud.MergeTiming;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.job.JobEvents;
import ml.bqx.job.JobSettings;
import ml.bqx.job.PipelineJob;
import ml.bqx.job.extract.Checkpoint;
import ml.bqx.local.store.FolderObjectStore;
import ml.bqx.local.warehouse.DuckDbWarehouse;
import ml.bqx.local.warehouse.WarehouseSeeder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The child JVM of one measurement: runs one task (extract, prepare, merge, floor, job or rerun)
 * and prints its figures as one {@code BENCH-RESULT {json}} line, with this process's memory peaks.
 */
public final class BenchChild {
  /** Prefix of the line that carries a child's figures on its standard output. */
  static final String RESULT = "BENCH-RESULT ";

  static final Pair PAIR = Pair.parse("eurusd");

  private BenchChild() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      a.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    Map<String, Double> figures =
        switch (args[0]) {
          case "extract" -> extract(a, false);
          case "prepare" -> extract(a, true);
          case "merge" -> merge(a);
          case "floor" -> floor(a);
          case "job" -> job(a);
          case "rerun" -> rerun(a);
          case "cloudJob" -> CloudTasks.job(a, PAIR);
          case "cloudExtract" -> CloudTasks.extract(a, PAIR);
          case "cloudMerge" ->
              CloudTasks.merge(
                  a,
                  CheckpointList.read(Path.of(a.get("list")), Integer.parseInt(a.get("tables"))));
          case "encode" -> CloudTasks.encode(a, PAIR);
          default -> throw new IllegalArgumentException("unknown task " + args[0]);
        };
    figures.put("peakRssBytes", (double) MemoryProbe.peakRssBytes());
    figures.put("peakHeapBytes", (double) MemoryProbe.peakHeapBytes());
    System.out.println(RESULT + Json.MAPPER.writeValueAsString(figures));
    System.out.flush();
    System.exit(0); // DuckDB's and the pool's threads must not keep the child alive
  }

  /** Extracts the targets and the first {@code tables} feature tables with the job's Extractor. */
  private static Map<String, Double> extract(Map<String, String> a, boolean prepare)
      throws IOException {
    Path staging = Files.createDirectories(Path.of(a.get("staging")));
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(Path.of(a.get("warehouse")));
        BufferAllocator allocator = new RootAllocator()) {
      ExtractRun.Measured measured =
          ExtractRun.run(
              warehouse,
              new FolderObjectStore(),
              staging.toUri(),
              PAIR,
              a.get("run"),
              Integer.parseInt(a.get("tables")),
              Integer.parseInt(a.get("concurrency")),
              Integer.parseInt(a.get("rowGroupRows")),
              allocator);
      if (prepare) {
        CheckpointList.write(Path.of(a.get("list")), measured.result().checkpoints());
      }
      return measured.figures();
    }
  }

  /** Stitches the targets' and the first {@code tables} feature checkpoints into one file. */
  private static Map<String, Double> merge(Map<String, String> a) throws IOException {
    List<Checkpoint> checkpoints =
        CheckpointList.read(Path.of(a.get("list")), Integer.parseInt(a.get("tables")));
    Path target = Path.of(a.get("output"));
    Files.createDirectories(target.getParent());
    return MergeTiming.run(new FolderObjectStore(), checkpoints, target.toUri());
  }

  /** Reads every checkpoint once and writes the same bytes once: what no merge can beat. */
  private static Map<String, Double> floor(Map<String, String> a) throws IOException {
    List<Checkpoint> checkpoints =
        CheckpointList.read(Path.of(a.get("list")), Integer.parseInt(a.get("tables")));
    Path target = Path.of(a.get("output"));
    Files.createDirectories(target.getParent());
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    long bytes = 0;
    long started = System.nanoTime();
    try (FileChannel out =
        FileChannel.open(
            target,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      for (Checkpoint checkpoint : checkpoints) {
        try (FileChannel in = FileChannel.open(Path.of(checkpoint.uri()))) {
          while (in.read(buffer) >= 0) {
            buffer.flip();
            while (buffer.hasRemaining()) {
              bytes += out.write(buffer);
            }
            buffer.clear();
          }
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("seconds", seconds);
    figures.put("bytes", (double) bytes);
    return figures;
  }

  /**
   * The job again over the staging store of a finished run, with {@code changed} feature tables
   * changed in the warehouse (one value of each negated, spread evenly over the tables), changed
   * back afterwards so the seeded warehouse stays as seeded.
   */
  private static Map<String, Double> rerun(Map<String, String> a) throws Exception {
    Path warehouseFile = Path.of(a.get("warehouse"));
    int tables = Integer.parseInt(a.get("tables"));
    int changed = Integer.parseInt(a.get("changed"));
    List<String> statements = new ArrayList<>();
    for (int i = 0; i < changed; i++) {
      String table =
          WarehouseLayout.DATASET
              + "."
              + WarehouseSeeder.featureTableName(PAIR, i * tables / changed);
      String column = WarehouseSeeder.featureColumnName(0);
      statements.add(
          "UPDATE "
              + table
              + " SET "
              + column
              + " = -"
              + column
              + " WHERE interval_time = (SELECT min(interval_time) FROM "
              + table
              + ")");
    }
    sql(warehouseFile, statements);
    try {
      return job(a);
    } finally {
      sql(warehouseFile, statements); // negating again restores every value exactly
    }
  }

  private static void sql(Path warehouse, List<String> statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
        Statement sql = connection.createStatement()) {
      for (String statement : statements) {
        sql.execute(statement);
      }
    }
  }

  /** One whole attempt of the job for the pair; stage durations from its stage events. */
  private static Map<String, Double> job(Map<String, String> a) throws IOException {
    Path root = Files.createDirectories(Path.of(a.get("root")));
    Path staging = Files.createDirectories(root.resolve("staging"));
    Path output = Files.createDirectories(root.resolve("output"));
    Path warehouseFile = Path.of(a.get("warehouse"));
    RunId run = RunId.of(a.get("run"));
    JobSettings settings =
        new JobSettings(
            PAIR,
            run,
            1,
            URI.create("duckdb://" + warehouseFile.toAbsolutePath()),
            staging.toUri(),
            output.toUri(),
            URI.create("memory://bench"),
            "bqx-events",
            OptionalInt.of(Integer.parseInt(a.get("concurrency"))),
            Integer.parseInt(a.get("rowGroupRows")),
            Integer.parseInt(EnvKey.BQX_CHECKPOINT_DAYS.defaultValue()),
            Long.parseLong(a.get("minRows")),
            Integer.parseInt(a.get("minColumns")));
    RecordingEventPublisher publisher = new RecordingEventPublisher();
    Clock clock = Clock.systemUTC();
    JobEvents events =
        new JobEvents(publisher, "bqx-events", new JobSettings.Identity(PAIR, run, 1), clock);
    FolderObjectStore store = new FolderObjectStore();
    long started = System.nanoTime();
    OutputFacts facts;
    try (DuckDbWarehouse warehouse = DuckDbWarehouse.open(warehouseFile)) {
      facts = new PipelineJob(settings, warehouse, store, store, events, clock).run();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("seconds", seconds);
    for (StageEvent event : publisher.events()) {
      if (event.status() == EventStatus.SUCCEEDED && event.metrics().containsKey("durationMs")) {
        figures.put(
            event.stage().wireName() + ".seconds", event.metrics().get("durationMs") / 1000.0);
      }
    }
    for (StageEvent event : publisher.events()) {
      if (event.stage() == Stage.EXTRACT && event.status() == EventStatus.SUCCEEDED) {
        figures.put("tablesExtracted", event.metrics().get("tablesExtracted"));
        figures.put("tablesReused", event.metrics().get("tablesReused"));
      }
    }
    figures.put("rows", (double) facts.rows());
    figures.put("columns", (double) facts.columns());
    figures.put("bytes", (double) facts.bytes());
    return figures;
  }
}

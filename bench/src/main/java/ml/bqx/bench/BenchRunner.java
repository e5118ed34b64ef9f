package ml.bqx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.SeededWarehouse;

/**
 * Runs every measurement of a bench, each in a child JVM, in this order: seed (once per size),
 * extraction at each concurrency, checkpoints for the merge (once per size), floor and merge at
 * each table count, the whole job; then writes bench.json and bench.md.
 */
final class BenchRunner {
  private static final long SEED = 42;

  /** Readers the training file is read back with, as readers/readers.mjs names them. */
  static final List<String> READERS = List.of("polars", "duckdb");

  private final BenchConfig config;
  private final PrintWriter progress;
  private final BenchResults results;
  private final ChildJvm child;
  private final Path scratch;
  private final NodeReaders readers;

  BenchRunner(BenchConfig config, PrintWriter progress) throws IOException {
    this.config = config;
    this.progress = progress;
    this.results = new BenchResults(config);
    Files.createDirectories(config.workdir());
    Files.createDirectories(config.out());
    this.scratch = config.workdir().resolve("scratch");
    this.child = new ChildJvm(config.xmx(), config.out().resolve("children.log"));
    this.readers = NodeReaders.installed(); // before minutes of work, not after
  }

  /** Measures everything and writes the result files; returns them (JSON, Markdown). */
  List<Path> run(String command) throws IOException {
    long started = System.nanoTime();
    seedOnce();
    if (config.cloud() != null) {
      Path list = null;
      if (config.cloud().measures("merge")) { // the local merge of the same checkpoints first
        list = prepareCheckpoints();
        Path dir = fresh("merge-local");
        for (int r = 1; r <= config.repeat(); r++) {
          merge(list, config.seedTables(), r, dir);
        }
        delete(dir);
      }
      new CloudBench(config, results, config.out().resolve("children.log"), this::say).run(list);
    } else {
      if (!config.onlyJob()) {
        extraction();
        merges(prepareCheckpoints());
      }
      wholeJob();
    }
    Path json = config.out().resolve("bench.json");
    Path md = config.out().resolve("bench.md");
    results.writeJson(json, machine(), command);
    Files.writeString(md, results.markdown(command));
    say(
        "done in %.0f s: %s and %s",
        (System.nanoTime() - started) / 1e9, json.toAbsolutePath(), md.toAbsolutePath());
    return List.of(json, md);
  }

  private void seedOnce() throws IOException {
    SeededWarehouse warehouse = new SeededWarehouse(config.warehouseFile());
    String name = config.seedTables() + "x" + config.rows() + "x" + config.columns() + " s" + SEED;
    List<Pair> pairs = List.of(BenchChild.PAIR);
    if (warehouse.missing(name, pairs).isEmpty()) {
      say("reusing the seeded warehouse %s", warehouse.file());
      return;
    }
    say(
        "seeding %s: %d feature tables x %d columns, %d rows (once per size)",
        warehouse.file(), config.seedTables(), config.columns(), config.rows());
    warehouse.add(
        name,
        new SeedSpec(pairs, config.seedTables(), config.rows(), config.columns(), SEED),
        SeedProgress.everyTenth(line -> say("  %s", line)));
  }

  private void extraction() throws IOException {
    for (int c : config.concurrency()) {
      for (int r = 1; r <= config.repeat(); r++) {
        Path staging = fresh("extract-c" + c + "-r" + r);
        Map<String, Double> f =
            child.run(
                "extract",
                args(
                    "warehouse",
                    config.warehouseFile(),
                    "staging",
                    staging,
                    "run",
                    "bench-extract-c" + c + "-r" + r,
                    "tables",
                    config.extractTables(),
                    "concurrency",
                    c,
                    "rowGroupRows",
                    config.rowGroupRows()));
        delete(staging);
        results.add("extract.c" + c + ".tablesPerMin", "tables/min", f.get("tablesPerMin"));
        say(
            "extraction, concurrency %d, run %d/%d: %.0f tables in %.1f s = %.1f tables/min",
            c, r, config.repeat(), f.get("tables"), f.get("seconds"), f.get("tablesPerMin"));
      }
    }
  }

  private Path prepareCheckpoints() throws IOException {
    Path dir = Files.createDirectories(config.checkpointsDir());
    Path list = dir.resolve("checkpoints.json");
    say("preparing the merge's checkpoints in %s (reused when already there)", dir);
    Map<String, Double> f =
        child.run(
            "prepare",
            args(
                "warehouse",
                config.warehouseFile(),
                "staging",
                dir,
                "run",
                "bench-merge",
                "tables",
                config.seedTables(),
                "concurrency",
                4,
                "rowGroupRows",
                config.rowGroupRows(),
                "list",
                list));
    say(
        "  %.0f checkpoints (%.0f reused), %.1f MB, in %.1f s",
        f.get("tables"), f.get("reused"), BenchResults.mb(f.get("bytes")), f.get("seconds"));
    return list;
  }

  private void merges(Path list) throws IOException {
    for (int t : config.mergeTables()) {
      for (int r = 1; r <= config.repeat(); r++) {
        Path dir = fresh("merge-t" + t + "-r" + r);
        // Alternate which goes first, so neither always meets a colder page cache.
        if (r % 2 == 1) {
          floor(list, t, r, dir);
          merge(list, t, r, dir);
        } else {
          merge(list, t, r, dir);
          floor(list, t, r, dir);
        }
        delete(dir);
      }
    }
  }

  private void floor(Path list, int t, int r, Path dir) throws IOException {
    Map<String, Double> f =
        child.run("floor", args("list", list, "tables", t, "output", dir.resolve("floor.bin")));
    Files.deleteIfExists(dir.resolve("floor.bin"));
    double mbPerSec = BenchResults.mb(f.get("bytes")) / f.get("seconds");
    results.add("floor.t" + t + ".seconds", "s", f.get("seconds"));
    results.add("floor.t" + t + ".mbPerSec", "MB/s", mbPerSec);
    say(
        "floor, %d tables, run %d/%d: %.2f s, %.0f MB/s",
        t, r, config.repeat(), f.get("seconds"), mbPerSec);
  }

  private void merge(Path list, int t, int r, Path dir) throws IOException {
    Map<String, Double> f =
        child.run(
            "merge", args("list", list, "tables", t, "output", dir.resolve("merged.parquet")));
    delete(dir.resolve("merged.parquet"));
    double mbPerSec = BenchResults.mb(f.get("bytes")) / f.get("seconds");
    String k = "merge.t" + t + ".";
    results.add(k + "seconds", "s", f.get("seconds"));
    results.add(k + "mbPerSec", "MB/s", mbPerSec);
    results.add(k + "peakRssMb", "MB", BenchResults.mb(f.get("peakRssBytes")));
    results.add(k + "peakHeapMb", "MB", BenchResults.mb(f.get("peakHeapBytes")));
    results.add(k + "outputMb", "MB", BenchResults.mb(f.get("bytes")));
    say(
        "merge, %d tables, run %d/%d: %.2f s, %.0f MB/s, %.0f columns, peak heap %.0f MB, peak RSS %.0f MB",
        t,
        r,
        config.repeat(),
        f.get("seconds"),
        mbPerSec,
        f.get("columns"),
        BenchResults.mb(f.get("peakHeapBytes")),
        BenchResults.mb(f.get("peakRssBytes")));
  }

  private void wholeJob() throws IOException {
    int columns = 1 + WarehouseLayout.HORIZONS.size() + config.seedTables() * config.columns();
    for (int r = 1; r <= config.jobRepeat(); r++) {
      Path root = fresh("job-r" + r);
      say(
          "whole job, run %d/%d: %d tables, %d columns ...",
          r, config.jobRepeat(), config.seedTables() + 1, columns);
      Map<String, Double> f =
          child.run(
              "job",
              args(
                  "warehouse", config.warehouseFile(),
                  "root", root,
                  "run", "bench-job-r" + r,
                  "concurrency", config.jobConcurrency(),
                  "rowGroupRows", config.rowGroupRows(),
                  "minRows", config.rows(),
                  "minColumns", columns));
      if (!config.onlyJob()) { // at the seed's scale each reader holds the whole file decoded
        readBack(root.resolve("output").resolve(StoreLayout.trainingFileName(BenchChild.PAIR)), f);
      }
      if (r == 1 && config.rerunChanged() > 0) {
        rerun(root, columns, f.get("seconds"));
      }
      delete(root);
      StringBuilder stages = new StringBuilder();
      for (String stage : BenchResults.JOB_STAGES) {
        double seconds = f.getOrDefault(stage + ".seconds", Double.NaN);
        results.add("job." + stage + ".seconds", "s", seconds);
        stages.append(String.format(Locale.ROOT, " %s %.1f s", stage, seconds));
      }
      results.add("job.total.seconds", "s", f.get("seconds"));
      results.add("job.peakHeapMb", "MB", BenchResults.mb(f.get("peakHeapBytes")));
      results.add("job.peakRssMb", "MB", BenchResults.mb(f.get("peakRssBytes")));
      say(
          "  %.0f rows x %.0f columns in %.1f s:%s; peak heap %.0f MB",
          f.get("rows"),
          f.get("columns"),
          f.get("seconds"),
          stages,
          BenchResults.mb(f.get("peakHeapBytes")));
    }
  }

  /**
   * The whole job again over the first run's staging store (its checkpoint cache), with {@code
   * --rerun-changed} feature tables changed in the warehouse meanwhile.
   */
  private void rerun(Path root, int columns, double fullSeconds) throws IOException {
    int changed = config.rerunChanged();
    say("re-run: %d of %d feature tables changed ...", changed, config.seedTables());
    Map<String, Double> f =
        child.run(
            "rerun",
            args(
                "warehouse", config.warehouseFile(),
                "root", root,
                "run", "bench-rerun",
                "tables", config.seedTables(),
                "changed", changed,
                "concurrency", config.jobConcurrency(),
                "rowGroupRows", config.rowGroupRows(),
                "minRows", config.rows(),
                "minColumns", columns));
    results.add("rerun.total.seconds", "s", f.get("seconds"));
    results.add("rerun.extract.seconds", "s", f.get("extract.seconds"));
    results.add("rerun.merge.seconds", "s", f.get("merge.seconds"));
    results.add("rerun.tablesExtracted", "tables", f.get("tablesExtracted"));
    results.add("rerun.tablesReused", "tables", f.get("tablesReused"));
    results.add("rerun.fullRun.seconds", "s", fullSeconds);
    say(
        "  %.0f tables extracted, %.0f reused: %.1f s (extract %.1f s), the full run %.1f s",
        f.get("tablesExtracted"),
        f.get("tablesReused"),
        f.get("seconds"),
        f.get("extract.seconds"),
        fullSeconds);
  }

  /**
   * Reads the job's training file right after it is made, as a user does next: whole into Polars
   * and into DuckDB, each in its own Node process (its peak RSS is the reader's memory).
   */
  private void readBack(Path file, Map<String, Double> job) throws IOException {
    for (String reader : READERS) {
      JsonNode f = readers.run(List.of("time", "--reader", reader, "--file", file.toString()));
      if (f.get("rows").asDouble() != job.get("rows")
          || f.get("columns").asDouble() != job.get("columns")) {
        throw new IOException(
            reader
                + " read "
                + f.get("rows")
                + " x "
                + f.get("columns")
                + " from "
                + file
                + ", the job wrote "
                + job.get("rows")
                + " x "
                + job.get("columns"));
      }
      double seconds = f.get("seconds").asDouble();
      double rssMb = BenchResults.mb(f.get("peakRssBytes").asDouble());
      results.add("read." + reader + ".seconds", "s", seconds);
      results.add("read." + reader + ".peakRssMb", "MB", rssMb);
      say(
          "  read back with %s: %.1f s, peak RSS %.0f MB",
          f.get("reader").asText(), seconds, rssMb);
    }
  }

  private Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    machine.put(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    return machine;
  }

  private Path fresh(String name) throws IOException {
    Path dir = scratch.resolve(name);
    delete(dir);
    return Files.createDirectories(dir);
  }

  private static void delete(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  static Map<String, String> args(Object... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], String.valueOf(pairs[i + 1]));
    }
    return map;
  }

  void say(String format, Object... values) {
    progress.println("bench: " + String.format(Locale.ROOT, format, values));
    progress.flush();
  }
}

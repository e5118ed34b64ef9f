package ml.bqx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ml.bqx.core.json.Json;

/**
 * The runs of every figure, their medians, the ratios against the floor and the guide, as files.
 */
final class BenchResults {
  /** The guide's extraction rate: 10 tables a minute with 4 workers. */
  static final double GUIDE_TABLES_PER_MIN = 10.0;

  /** The guide's time for one pair: 85 minutes. */
  static final double GUIDE_PAIR_MINUTES = 85.0;

  static final String[] JOB_STAGES = {"extract", "merge", "validate", "upload", "cleanup"};

  static final List<String> STAGES_AND_TOTAL =
      List.of("extract", "merge", "validate", "upload", "cleanup", "total");

  /** The guide's production run: 26 pairs in about 37 hours. */
  static final double GUIDE_RUN_HOURS = 37.0;

  /** Pairs of a production run, and the run ledger's default cap of pairs at once. */
  static final int RUN_PAIRS = 26;

  static final int RUN_CAP = 8;

  private static final double MB = 1024.0 * 1024.0;

  /** One figure's unit and every run's value. */
  record Figure(String unit, List<Double> runs) {
    double median() {
      List<Double> sorted = runs.stream().sorted().toList();
      int n = sorted.size();
      return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
  }

  private final BenchConfig config;
  private final Map<String, Figure> figures = new LinkedHashMap<>();

  BenchResults(BenchConfig config) {
    this.config = config;
  }

  void add(String key, String unit, double value) {
    figures.computeIfAbsent(key, k -> new Figure(unit, new ArrayList<>())).runs().add(value);
  }

  double median(String key) {
    Figure figure = figures.get(key);
    return figure == null ? Double.NaN : figure.median();
  }

  /**
   * Ratios of medians: merge to floor, memory at the largest to the smallest merge, the guide's.
   */
  Map<String, Double> ratios() {
    Map<String, Double> ratios = new LinkedHashMap<>();
    if (config.cloud() != null) {
      cloudRatios(ratios);
      return ratios;
    }
    if (!config.onlyJob()) {
      extractionAndMergeRatios(ratios);
    }
    ratios.put("jobVsGuide", median("job.total.seconds") / 60.0 / GUIDE_PAIR_MINUTES);
    if (config.rerunChanged() > 0) {
      ratios.put("rerunVsFullRun", median("rerun.total.seconds") / median("rerun.fullRun.seconds"));
    }
    return ratios;
  }

  private void extractionAndMergeRatios(Map<String, Double> ratios) {
    for (int t : config.mergeTables()) {
      ratios.put(
          "mergeVsFloor.t" + t,
          median("merge.t" + t + ".seconds") / median("floor.t" + t + ".seconds"));
    }
    int small = config.mergeTables().get(0);
    int large = config.mergeTables().get(config.mergeTables().size() - 1);
    ratios.put(
        "peakHeap.t" + large + "VsT" + small,
        median("merge.t" + large + ".peakHeapMb") / median("merge.t" + small + ".peakHeapMb"));
    ratios.put(
        "peakRss.t" + large + "VsT" + small,
        median("merge.t" + large + ".peakRssMb") / median("merge.t" + small + ".peakRssMb"));
    for (int c : config.concurrency()) {
      ratios.put(
          "tablesPerMinVsGuide.c" + c,
          median("extract.c" + c + ".tablesPerMin") / GUIDE_TABLES_PER_MIN);
    }
  }

  /**
   * On simulated Google Cloud: the merge on GCS to the local merge of the same checkpoints,
   * extraction and the job to the guide's; 26 pairs with a cap of 8 computed from one pair's time
   * as ceil(26 / 8) waves of pairs that run side by side (not measured).
   */
  private void cloudRatios(Map<String, Double> ratios) {
    int t = config.seedTables();
    putIfMeasured(
        ratios,
        "cloudMergeVsLocal.t" + t,
        median("cloud.merge.seconds") / median("merge.t" + t + ".seconds"));
    for (int c : config.cloud().concurrency()) {
      putIfMeasured(
          ratios,
          "cloudTablesPerMinVsGuide.c" + c,
          median("cloud.extract.c" + c + ".tablesPerMin") / GUIDE_TABLES_PER_MIN);
    }
    double pair = median("cloud.job.total.seconds");
    putIfMeasured(ratios, "cloudPairVsGuide", pair / 60.0 / GUIDE_PAIR_MINUTES);
    int waves = (RUN_PAIRS + RUN_CAP - 1) / RUN_CAP;
    putIfMeasured(ratios, "cloudRun26PairsCap8VsGuide", waves * pair / 3600.0 / GUIDE_RUN_HOURS);
  }

  /** A ratio of figures this run measured (--cloud-only leaves some out). */
  private static void putIfMeasured(Map<String, Double> ratios, String key, double value) {
    if (!Double.isNaN(value)) {
      ratios.put(key, value);
    }
  }

  /** The bar at the largest merge: heap under 1 GiB, within 1.5x of the floor. */
  Map<String, Boolean> checks() {
    if (config.cloud() != null) {
      Double merge = ratios().get("cloudMergeVsLocal.t" + config.seedTables());
      return merge == null ? Map.of() : Map.of("cloudMergeWithin2xOfLocal", merge <= 2.0);
    }
    if (config.onlyJob()) {
      return Map.of();
    }
    int large = config.mergeTables().get(config.mergeTables().size() - 1);
    Map<String, Boolean> checks = new LinkedHashMap<>();
    checks.put(
        "merge.t" + large + ".peakHeapUnder1GiB", median("merge.t" + large + ".peakHeapMb") < 1024);
    checks.put(
        "merge.t" + large + ".within1.5xOfFloor", ratios().get("mergeVsFloor.t" + large) <= 1.5);
    return checks;
  }

  void writeJson(Path file, Map<String, Object> machine, String command) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema", "bqx.bench/1");
    root.put("command", command);
    root.put("machine", machine);
    root.put("config", configMap());
    Map<String, Object> out = new LinkedHashMap<>();
    figures.forEach(
        (key, figure) ->
            out.put(
                key,
                Map.of("median", figure.median(), "unit", figure.unit(), "runs", figure.runs())));
    root.put("figures", out);
    root.put("ratios", ratios());
    root.put("checks", checks());
    Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  private Map<String, Object> configMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("repeat", config.repeat());
    map.put("jobRepeat", config.jobRepeat());
    map.put("concurrency", config.concurrency());
    map.put("extractTables", config.extractTables());
    map.put("mergeTables", config.mergeTables());
    map.put("seedTables", config.seedTables());
    map.put("rows", config.rows());
    map.put("columns", config.columns());
    map.put("rowGroupRows", config.rowGroupRows());
    map.put("xmx", config.xmx());
    map.put("jobConcurrency", config.jobConcurrency());
    map.put("rerunChanged", config.rerunChanged());
    map.put("onlyJob", config.onlyJob());
    if (config.cloud() != null) {
      map.put("cloud", config.cloud().profile());
      map.put("cloudConcurrency", config.cloud().concurrency());
      map.put("cloudCpus", config.cloud().cpus());
      map.put("cloudXmx", config.cloud().xmx());
      map.put("cloudOnly", config.cloud().only());
    }
    return map;
  }

  String markdown(String command) {
    StringBuilder md = new StringBuilder();
    md.append("Medians of ")
        .append(config.repeat())
        .append(" run(s) (whole job: ")
        .append(config.jobRepeat())
        .append("), each in its own JVM (-Xmx")
        .append(config.xmx())
        .append("). Warehouse: 1 pair, ")
        .append(config.seedTables())
        .append(" feature tables x ")
        .append(config.columns())
        .append(" columns, ")
        .append(config.rows())
        .append(" rows.\n\n");
    if (config.cloud() != null) {
      cloud(md);
    } else {
      if (!config.onlyJob()) {
        extractionAndMerge(md);
      }
      wholeJob(md);
    }
    md.append("\n| Ratio | Value |\n|---|---:|\n");
    ratios().forEach((key, value) -> md.append(row("ratio " + key, ratio(value))));
    checks().forEach((key, value) -> md.append(row("check " + key, value ? "yes" : "NO")));
    md.append("\nReproduce: `").append(command).append("`\n");
    return md.toString();
  }

  private void extractionAndMerge(StringBuilder md) {
    md.append("Extraction (targets + ")
        .append(config.extractTables())
        .append(" feature tables per run)\n\n");
    md.append("| Extraction | Tables/min | vs guide (10/min, 4 workers) |\n|---|---:|---:|\n");
    for (int c : config.concurrency()) {
      md.append(
          row(
              "extraction, concurrency " + c,
              num(median("extract.c" + c + ".tablesPerMin")),
              ratio(ratios().get("tablesPerMinVsGuide.c" + c))));
    }
    md.append("\n| Merge | Tables | Merge s | Merge MB/s | Floor s | Floor MB/s | Merge/floor |")
        .append(" Peak heap MB | Peak RSS MB | Output MB |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int t : config.mergeTables()) {
      String m = "merge.t" + t + ".";
      String f = "floor.t" + t + ".";
      md.append(
          row(
              "merge, " + t + " tables",
              Integer.toString(t),
              num(median(m + "seconds")),
              num(median(m + "mbPerSec")),
              num(median(f + "seconds")),
              num(median(f + "mbPerSec")),
              ratio(ratios().get("mergeVsFloor.t" + t)),
              num(median(m + "peakHeapMb")),
              num(median(m + "peakRssMb")),
              num(median(m + "outputMb"))));
    }
    md.append('\n');
  }

  private void wholeJob(StringBuilder md) {
    md.append("| Whole job, one pair | Seconds |\n|---|---:|\n");
    for (String stage : JOB_STAGES) {
      md.append(row("job, " + stage, num(median("job." + stage + ".seconds"))));
    }
    md.append(row("job, total", num(median("job.total.seconds"))));
    md.append(
        row(
            "job, peak heap / RSS MB",
            num(median("job.peakHeapMb")) + " / " + num(median("job.peakRssMb"))));
    if (!config.onlyJob()) {
      md.append("\n| Read right after it is made | Seconds | Peak memory MB |\n|---|---:|---:|\n");
      md.append(
          row(
              "job's merge (writes the file)",
              num(median("job.merge.seconds")),
              num(median("job.peakRssMb")) + " (job RSS)"));
      for (String reader : BenchRunner.READERS) {
        String k = "read." + reader + ".";
        md.append(row("read, " + reader, num(median(k + "seconds")), num(median(k + "peakRssMb"))));
      }
    }
    if (config.rerunChanged() > 0) {
      md.append("\n| Re-run, ")
          .append(config.rerunChanged())
          .append(" of ")
          .append(config.seedTables())
          .append(" feature tables changed | Value |\n|---|---:|\n");
      md.append(row("re-run, tables extracted", num(median("rerun.tablesExtracted"))));
      md.append(row("re-run, tables reused", num(median("rerun.tablesReused"))));
      md.append(row("re-run, extract s", num(median("rerun.extract.seconds"))));
      md.append(row("re-run, merge s", num(median("rerun.merge.seconds"))));
      md.append(row("re-run, total s", num(median("rerun.total.seconds"))));
      md.append(row("full run, total s", num(median("rerun.fullRun.seconds"))));
    }
  }

  /** The simulated cloud's figures: one row each, every stage's seconds, requests and bytes. */
  private void cloud(StringBuilder md) {
    md.append("Simulated Google Cloud: ")
        .append(config.cloud().profile())
        .append("; the job in a JVM of ")
        .append(config.cloud().cpus())
        .append(" CPUs, -Xmx")
        .append(config.cloud().xmx())
        .append(".\n\n| Figure | Median | Unit |\n|---|---:|---|\n");
    String local = "merge.t" + config.seedTables() + ".seconds";
    if (figures.containsKey(local)) {
      md.append(row("local merge, " + config.seedTables() + " tables", num(median(local)), "s"));
    }
    figures.forEach(
        (key, figure) -> {
          if (key.startsWith("cloud.")) {
            md.append(row(key, num(figure.median()), figure.unit()));
          }
        });
  }

  static double mb(double bytes) {
    return bytes / MB;
  }

  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |\n";
  }

  private static String num(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    return value >= 100
        ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String ratio(Double value) {
    return value == null || value.isNaN() ? "n/a" : String.format(Locale.ROOT, "%.2fx", value);
  }
}

package ml.bqx.job.extract;

import static ml.bqx.job.stage.StageReport.metrics;

import java.io.IOException;
import java.util.logging.Logger;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.Warehouse;
import ml.bqx.job.stage.JobStage;
import ml.bqx.job.stage.StageProgress;
import ml.bqx.job.stage.StageReport;

/**
 * Stage 1: discovers the pair's tables, plans the output columns and checkpoints every table,
 * telling its progress about twenty times (and at the last table) with the rate so far.
 */
public final class ExtractStage implements JobStage<ExtractResult> {
  private static final Logger LOG = Logger.getLogger(ExtractStage.class.getName());
  private static final int PROGRESS_EVENTS = 20;

  private final Warehouse warehouse;
  private final Pair pair;
  private final Extractor extractor;

  /**
   * @param warehouse where the pair's tables are discovered
   * @param extractor what checkpoints them
   */
  public ExtractStage(Warehouse warehouse, Pair pair, Extractor extractor) {
    this.warehouse = warehouse;
    this.pair = pair;
    this.extractor = extractor;
  }

  @Override
  public Stage stage() {
    return Stage.EXTRACT;
  }

  @Override
  public StageReport started() {
    return new StageReport(
        "discovering the tables of " + pair, metrics("concurrency", extractor.concurrency()));
  }

  @Override
  public ExtractResult run(StageProgress progress) throws IOException {
    ExtractPlan plan = ExtractPlan.of(pair, warehouse.discover(pair));
    return extractor.extract(
        plan, (table, reused, done, all) -> tableDone(progress, table, reused, done, all));
  }

  private void tableDone(StageProgress progress, String table, boolean reused, int done, int all) {
    String how = reused ? "reused" : "extracted";
    LOG.info(
        (reused ? "reused the checkpoint of " : "extracted ")
            + table
            + " ("
            + done
            + "/"
            + all
            + ")");
    if (done == all || done % Math.max(1, all / PROGRESS_EVENTS) == 0) {
      progress.report(
          done + "/" + all + " tables (last " + how + ": " + table + ")",
          metrics(
              "tables",
              done,
              "tablesTotal",
              all,
              "tablesPerMin",
              perMinute(done, progress.elapsedMillis()),
              "concurrency",
              extractor.concurrency()));
    }
  }

  @Override
  public StageReport succeeded(ExtractResult result, long durationMs) {
    int total = result.plan().features().size() + 1;
    return new StageReport(
        total + " tables, " + result.reused() + " reused from the checkpoint cache",
        metrics(
            "tables", total,
            "tablesReused", result.reused(),
            "tablesExtracted", total - result.reused(),
            "rows", result.spineRows(),
            "columns", result.plan().outputColumns(),
            "bytes", result.bytes(),
            "durationMs", durationMs,
            "tablesPerMin", perMinute(total, durationMs),
            "concurrency", extractor.concurrency()));
  }

  private static double perMinute(long tables, long elapsedMillis) {
    return tables * 60_000.0 / Math.max(1, elapsedMillis);
  }
}

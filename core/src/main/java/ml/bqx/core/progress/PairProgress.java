package ml.bqx.core.progress;

import java.time.Instant;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;

/**
 * What one attempt's job has done so far, as it writes it to its progress object: its stage and,
 * during the extract, tables done of total and tables/min.
 *
 * @param stage the stage running, or {@link Stage#JOB} before the first one starts
 * @param writtenAt when the job wrote this
 */
public record PairProgress(
    String schema,
    RunId run,
    Pair pair,
    int attempt,
    Stage stage,
    Instant jobStartedAt,
    Instant stageStartedAt,
    int tablesDone,
    int tablesTotal,
    double tablesPerMin,
    Instant writtenAt) {
  public static final String SCHEMA = "bqx.pair-progress/1";

  /** An attempt that has just started. */
  public static PairProgress started(RunId run, Pair pair, int attempt, Instant at) {
    return new PairProgress(SCHEMA, run, pair, attempt, Stage.JOB, at, at, 0, 0, 0, at);
  }

  /** This progress after one of the attempt's stage events. */
  public PairProgress after(StageEvent event) {
    Stage now = stage;
    Instant since = stageStartedAt;
    if (event.stage() != Stage.JOB && event.status() == EventStatus.STARTED) {
      now = event.stage();
      since = event.at();
    }
    int done = tablesDone;
    int total = tablesTotal;
    double rate = tablesPerMin;
    if (event.stage() == Stage.EXTRACT) {
      done = event.metrics().getOrDefault(Metric.TABLES, (double) done).intValue();
      total =
          event
              .metrics()
              .getOrDefault(Metric.TABLES_TOTAL, (double) Math.max(total, done))
              .intValue();
      rate = event.metrics().getOrDefault(Metric.TABLES_PER_MIN, rate);
      if (event.status() == EventStatus.SUCCEEDED) {
        total = done;
      }
    }
    return new PairProgress(
        schema, run, pair, attempt, now, jobStartedAt, since, done, total, rate, writtenAt);
  }

  public PairProgress writtenAt(Instant at) {
    return new PairProgress(
        schema,
        run,
        pair,
        attempt,
        stage,
        jobStartedAt,
        stageStartedAt,
        tablesDone,
        tablesTotal,
        tablesPerMin,
        at);
  }
}

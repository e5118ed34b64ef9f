package ml.bqx.core.progress;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;

/**
 * A run as it stands now, from its ledger and its running jobs' progress objects: per running pair
 * its stage, tables done of total, tables/min and ETA; per run the counts, tables/min and ETA. The
 * one computation behind {@code bqx status} (text, JSON, watch) and the local runner's line, on
 * Google Cloud and locally alike.
 *
 * <p>ETAs come from the pairs that succeeded so far: a running pair's is its extract's remaining
 * tables at its tables/min, plus the stages after the extract as long as they took the succeeded
 * pairs (or, after its extract, the succeeded pairs' time less its own); the run's is the work left
 * (running pairs' ETAs, a succeeded pair's time per queued pair) over the slots it can use, and
 * never less than its longest running pair. Null (unknown) until a pair has succeeded.
 */
public record RunProgress(
    RunId run,
    Instant at,
    long done,
    long failed,
    long running,
    long queued,
    long cancelled,
    double tablesPerMin,
    Double etaSeconds,
    List<PairLive> pairs) {
  private static final List<Stage> AFTER_EXTRACT =
      List.of(Stage.MERGE, Stage.VALIDATE, Stage.UPLOAD, Stage.CLEANUP);

  /**
   * One running pair.
   *
   * @param stage null until its job has written progress
   * @param progressAt when its job last wrote progress
   */
  public record PairLive(
      Pair pair,
      int attempt,
      Stage stage,
      int tablesDone,
      int tablesTotal,
      double tablesPerMin,
      Double etaSeconds,
      Instant progressAt) {}

  public static RunProgress of(RunLedger ledger, Map<Pair, PairProgress> live, Instant now) {
    Double pairSeconds = meanSeconds(ledger);
    Double afterExtract = meanAfterExtract(ledger);
    List<PairLive> pairs = new ArrayList<>();
    double rate = 0;
    double work = 0;
    double longest = 0;
    for (PairRecord record : ledger.pairs()) {
      if (!record.state().holdsSlot()) {
        continue;
      }
      PairProgress progress = live.get(record.pair());
      Double eta = eta(record, progress, pairSeconds, afterExtract, now);
      if (progress != null && progress.stage() == Stage.EXTRACT) {
        rate += progress.tablesPerMin();
      }
      if (eta != null) {
        work += eta;
        longest = Math.max(longest, eta);
      }
      pairs.add(
          progress == null
              ? new PairLive(record.pair(), record.attempt(), null, 0, 0, 0, eta, null)
              : new PairLive(
                  record.pair(),
                  record.attempt(),
                  progress.stage(),
                  progress.tablesDone(),
                  progress.tablesTotal(),
                  progress.tablesPerMin(),
                  eta,
                  progress.writtenAt()));
    }
    long queued = ledger.count(PairState.QUEUED);
    long running = ledger.slotsInUse();
    Double runEta = null;
    if (running + queued == 0) {
      runEta = 0.0;
    } else if (pairSeconds != null) {
      long slots = Math.max(1, Math.min(ledger.settings().maxConcurrent(), running + queued));
      runEta = Math.max(longest, (work + queued * pairSeconds) / slots);
    }
    return new RunProgress(
        ledger.run(),
        now,
        ledger.count(PairState.SUCCEEDED),
        ledger.count(PairState.FAILED),
        running,
        queued,
        ledger.count(PairState.CANCELLED),
        rate,
        runEta,
        pairs);
  }

  private static Double eta(
      PairRecord record,
      PairProgress progress,
      Double pairSeconds,
      Double afterExtract,
      Instant now) {
    if (progress != null
        && progress.stage() == Stage.EXTRACT
        && progress.tablesPerMin() > 0
        && progress.tablesTotal() > 0) {
      double extract =
          (progress.tablesTotal() - progress.tablesDone()) * 60.0 / progress.tablesPerMin();
      return extract + (afterExtract == null ? 0 : afterExtract);
    }
    if (pairSeconds == null || record.startedAt() == null) {
      return null;
    }
    double elapsed = Duration.between(record.startedAt(), now).toMillis() / 1000.0;
    return Math.max(0, pairSeconds - elapsed);
  }

  /** The mean time a succeeded pair held its slot (its last attempt). */
  private static Double meanSeconds(RunLedger ledger) {
    double sum = 0;
    int n = 0;
    for (PairRecord record : ledger.pairs()) {
      if (record.state() == PairState.SUCCEEDED
          && record.startedAt() != null
          && record.finishedAt() != null) {
        sum += Duration.between(record.startedAt(), record.finishedAt()).toMillis() / 1000.0;
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  /** The mean time the succeeded pairs' stages after the extract took, from their job's figures. */
  private static Double meanAfterExtract(RunLedger ledger) {
    double sum = 0;
    int n = 0;
    for (PairRecord record : ledger.pairs()) {
      if (record.state() == PairState.SUCCEEDED) {
        for (Stage stage : AFTER_EXTRACT) {
          sum += record.metrics().getOrDefault(Metric.durationOf(stage), 0.0) / 1000.0;
        }
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }
}

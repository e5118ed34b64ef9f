package ml.bqx.cli.local;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import ml.bqx.cli.status.StatusView;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.progress.PairProgress;
import ml.bqx.core.progress.RunProgress;

/**
 * The live line of a local run, from the same sources as {@code bqx status} on Google Cloud: the
 * ledger and the progress objects the running jobs write to the staging store ({@link
 * RunProgress}). Counts, each running pair's stage ("starting" until its job has written), the
 * tables/min of the pairs extracting, and the run's ETA (from the pairs finished so far, the
 * elapsed time per finished pair until one has succeeded).
 */
final class ProgressView {
  private final Instant started;

  ProgressView(Instant started) {
    this.started = started;
  }

  String line(RunLedger ledger, Map<Pair, PairProgress> progress, Instant now) {
    RunProgress live = RunProgress.of(ledger, progress, now);
    Map<Pair, Stage> stages = new HashMap<>();
    live.pairs().forEach(p -> stages.put(p.pair(), p.stage()));
    Duration elapsed = Duration.between(started, now);
    long done = ledger.count(PairState.SUCCEEDED);
    long failed = ledger.count(PairState.FAILED) + ledger.count(PairState.CANCELLED);
    long total = ledger.pairs().size();
    StringJoiner running = new StringJoiner(" ");
    for (PairRecord record : ledger.pairs()) {
      if (record.state().holdsSlot()) {
        Stage stage = stages.get(record.pair());
        running.add(
            record.pair()
                + ":"
                + (stage == null || stage == Stage.JOB ? "starting" : stage.wireName())
                + (record.attempt() > 1 ? "#" + record.attempt() : ""));
      }
    }
    String eta = StatusView.eta(live.etaSeconds());
    long finished = done + failed;
    if (live.etaSeconds() == null && finished > 0 && finished < total) {
      eta = StatusView.format(elapsed.multipliedBy(total - finished).dividedBy(finished));
    }
    return String.format(
        Locale.ROOT,
        "[%s] %d/%d done, %d failed, %d running, %d queued | %.0f tables/min | ETA %s | %s",
        StatusView.format(elapsed),
        done,
        total,
        failed,
        ledger.slotsInUse(),
        ledger.count(PairState.QUEUED),
        live.tablesPerMin(),
        eta,
        running);
  }
}

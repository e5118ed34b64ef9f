package ml.bqx.cli.local;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * RunProgress}). Counts, each running pair's stage, the tables/min of the pairs extracting ("-"
 * while none is), and the run's ETA (from the pairs finished so far, the elapsed time per finished
 * pair until one has succeeded).
 *
 * <p>A running pair's stage is "starting" until its job has written progress, "started" while the
 * job prepares (before its extract), then the stage's name, and "finishing" once the job has
 * removed its progress object at its end while the ledger still waits for its terminal event.
 */
final class ProgressView {
  private final Instant started;

  /** The attempts whose progress object this view has seen: gone again means finishing. */
  private final Set<String> seen = new HashSet<>();

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
        running.add(
            record.pair()
                + ":"
                + stage(record, stages.get(record.pair()))
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
        "[%s] %d/%d done, %d failed, %d running, %d queued | %s tables/min | ETA %s | %s",
        StatusView.format(elapsed),
        done,
        total,
        failed,
        ledger.slotsInUse(),
        ledger.count(PairState.QUEUED),
        live.tablesPerMin() > 0 ? String.format(Locale.ROOT, "%.0f", live.tablesPerMin()) : "-",
        eta,
        running);
  }

  private String stage(PairRecord record, Stage stage) {
    String attempt = record.pair() + "#" + record.attempt();
    if (stage == null) {
      return seen.contains(attempt) ? "finishing" : "starting";
    }
    seen.add(attempt);
    return stage == Stage.JOB ? "started" : stage.wireName();
  }
}

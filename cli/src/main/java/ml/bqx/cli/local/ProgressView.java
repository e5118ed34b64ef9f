package ml.bqx.cli.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import ml.bqx.cli.status.StatusView;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;

/**
 * The live progress of a local run: counts from the ledger, each running pair's stage and the
 * tables/min from the stage events, elapsed time and an ETA from the pairs finished so far.
 */
final class ProgressView {
  private final Instant started;
  private final Map<Pair, StageEvent> lastEvent = new ConcurrentHashMap<>();

  ProgressView(Instant started) {
    this.started = started;
  }

  void heard(StageEvent event) {
    lastEvent.merge(event.pair(), event, (old, now) -> now.at().isBefore(old.at()) ? old : now);
  }

  String line(RunLedger ledger, Instant now) {
    Duration elapsed = Duration.between(started, now);
    long done = ledger.count(PairState.SUCCEEDED);
    long failed = ledger.count(PairState.FAILED) + ledger.count(PairState.CANCELLED);
    long total = ledger.pairs().size();
    StringJoiner running = new StringJoiner(" ");
    double rate = 0;
    for (PairRecord record : ledger.pairs()) {
      if (record.state().holdsSlot()) {
        StageEvent event = lastEvent.get(record.pair());
        String stage =
            event == null || event.attempt() != record.attempt()
                ? "starting"
                : event.stage().wireName();
        running.add(
            record.pair() + ":" + stage + (record.attempt() > 1 ? "#" + record.attempt() : ""));
        if (event != null && event.attempt() == record.attempt()) {
          rate += event.metrics().getOrDefault("tablesPerMin", 0.0);
        }
      }
    }
    String eta = "-";
    long finished = done + failed;
    if (finished > 0 && finished < total) {
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
        rate,
        eta,
        running);
  }
}

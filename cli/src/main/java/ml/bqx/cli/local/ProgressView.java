package ml.bqx.cli.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import ml.bqx.cli.status.StatusView;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;

/**
 * The live progress of a local run: counts from the ledger, each running pair's stage, elapsed time
 * and an ETA from the pairs finished so far, and tables/min: the tables all pairs finished
 * extracting over the last minute (from the extract events' running table counts), so the figure
 * holds while pairs merge or upload instead of dropping to the latest event's.
 */
final class ProgressView {
  /** The span the tables/min figure looks back over. */
  static final Duration WINDOW = Duration.ofSeconds(60);

  /** The shortest span a rate is taken over, so the first tables do not read as a burst. */
  private static final Duration MIN_SPAN = Duration.ofSeconds(10);

  private final Instant started;
  private final Map<Pair, StageEvent> lastEvent = new ConcurrentHashMap<>();
  private final Map<String, Integer> tablesSoFar = new HashMap<>();
  private final Deque<TablesDone> recent = new ArrayDeque<>();
  private Instant firstTables;

  ProgressView(Instant started) {
    this.started = started;
  }

  /** Tables finished by one attempt between two of its events. */
  private record TablesDone(Instant at, int tables) {}

  /**
   * A message of the events topic: run summaries and error events share it, and are not progress.
   */
  void heard(BusMessage message) {
    try {
      heard(StageEvent.parse(message));
    } catch (IllegalArgumentException notAStageEvent) {
      // Not a stage event: nothing to show.
    }
  }

  void heard(StageEvent event) {
    lastEvent.merge(event.pair(), event, (old, now) -> now.at().isBefore(old.at()) ? old : now);
    Double tables = event.metrics().get("tables");
    if (event.stage() == Stage.EXTRACT && tables != null) {
      synchronized (recent) {
        String attempt = event.pair().name() + "#" + event.attempt();
        int before = tablesSoFar.getOrDefault(attempt, 0);
        if (tables.intValue() > before) {
          tablesSoFar.put(attempt, tables.intValue());
          recent.add(new TablesDone(event.at(), tables.intValue() - before));
          if (firstTables == null || event.at().isBefore(firstTables)) {
            firstTables = event.at();
          }
        }
      }
    }
  }

  /** Tables per minute over the last {@link #WINDOW} (or since the first table, if sooner). */
  double tablesPerMinute(Instant now) {
    synchronized (recent) {
      Instant from = now.minus(WINDOW);
      while (!recent.isEmpty() && recent.peekFirst().at().isBefore(from)) {
        recent.pollFirst();
      }
      if (recent.isEmpty()) {
        return 0;
      }
      int tables = recent.stream().mapToInt(TablesDone::tables).sum();
      Duration span = Duration.between(firstTables.isAfter(from) ? firstTables : from, now);
      if (span.compareTo(MIN_SPAN) < 0) {
        span = MIN_SPAN;
      }
      return tables * 60_000.0 / span.toMillis();
    }
  }

  String line(RunLedger ledger, Instant now) {
    Duration elapsed = Duration.between(started, now);
    long done = ledger.count(PairState.SUCCEEDED);
    long failed = ledger.count(PairState.FAILED) + ledger.count(PairState.CANCELLED);
    long total = ledger.pairs().size();
    StringJoiner running = new StringJoiner(" ");
    for (PairRecord record : ledger.pairs()) {
      if (record.state().holdsSlot()) {
        StageEvent event = lastEvent.get(record.pair());
        String stage =
            event == null || event.attempt() != record.attempt()
                ? "starting"
                : event.stage().wireName();
        running.add(
            record.pair() + ":" + stage + (record.attempt() > 1 ? "#" + record.attempt() : ""));
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
        tablesPerMinute(now),
        eta,
        running);
  }
}

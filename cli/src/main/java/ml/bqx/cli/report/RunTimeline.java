package ml.bqx.cli.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.ledger.HistoryEntry;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.pair.Pair;

/**
 * A run's history regrouped per pair as attempts: each attempt spans from taking a slot (STARTING)
 * to leaving it (succeeded, failed, re-queued for a retry, cancelled), or to {@code now}.
 */
final class RunTimeline {
  private RunTimeline() {}

  static Map<Pair, List<AttemptSpan>> of(RunLedger ledger, Instant now) {
    Map<Pair, List<AttemptSpan>> spans = new LinkedHashMap<>();
    Map<Pair, HistoryEntry> open = new LinkedHashMap<>();
    for (PairRecord record : ledger.pairs()) {
      spans.put(record.pair(), new ArrayList<>());
    }
    for (HistoryEntry entry : ledger.history()) {
      List<AttemptSpan> list = spans.computeIfAbsent(entry.pair(), p -> new ArrayList<>());
      if (entry.to() == PairState.STARTING) {
        open.put(entry.pair(), entry);
      } else if (entry.from() != null && entry.from().holdsSlot() && !entry.to().holdsSlot()) {
        HistoryEntry start = open.remove(entry.pair());
        Instant from = start == null ? entry.at() : start.at();
        // A retry re-queues with the next attempt's number: the span is the attempt that started.
        int attempt = start == null ? entry.attempt() : start.attempt();
        list.add(new AttemptSpan(attempt, from, entry.at(), entry.to(), entry.reason()));
      }
    }
    open.forEach(
        (pair, start) ->
            spans.get(pair).add(new AttemptSpan(start.attempt(), start.at(), null, null, null)));
    return spans;
  }

  /** The last moment on the timeline: the latest transition, or now while pairs still run. */
  static Instant end(RunLedger ledger, Instant now) {
    Instant last = ledger.createdAt();
    for (HistoryEntry entry : ledger.history()) {
      if (entry.at().isAfter(last)) {
        last = entry.at();
      }
    }
    return ledger.isFinished() || now.isBefore(last) ? last : now;
  }
}

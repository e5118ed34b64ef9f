package ml.bqx.cli.status;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.progress.RunProgress;
import ml.bqx.core.report.RunOutcome;

/** A run's ledger as a person reads it: the counts, then a line per pair. */
public final class StatusView {
  private StatusView() {}

  /** The one-line count of a run: "3 pairs: 2 succeeded, 1 running, ...". */
  public static String counts(RunLedger ledger) {
    return counts(ledger.pairs().size(), ledger.counts());
  }

  /** The same line from a report's counts per state. */
  public static String counts(int pairs, Map<PairState, Long> counts) {
    return String.format(
        Locale.ROOT,
        "%d pairs: %d succeeded, %d failed, %d running, %d queued, %d cancelled",
        pairs,
        counts.getOrDefault(PairState.SUCCEEDED, 0L),
        counts.getOrDefault(PairState.FAILED, 0L),
        counts.getOrDefault(PairState.STARTING, 0L) + counts.getOrDefault(PairState.RUNNING, 0L),
        counts.getOrDefault(PairState.QUEUED, 0L),
        counts.getOrDefault(PairState.CANCELLED, 0L));
  }

  /** The whole status of a run as of {@code now}, from its ledger alone. */
  public static String render(RunLedger ledger, Instant now) {
    return render(ledger, RunProgress.of(ledger, Map.of(), now), now);
  }

  /**
   * The whole status of a run as of {@code now}: its ledger, and what its running jobs' progress
   * objects say (stage, tables, tables/min, ETA per pair; the run's tables/min and ETA).
   */
  public static String render(RunLedger ledger, RunProgress live, Instant now) {
    StringBuilder text = new StringBuilder();
    text.append("run ")
        .append(ledger.run())
        .append(ledger.cancelled() ? " (cancelled)" : "")
        .append(ledger.isFinished() ? " finished" : " in progress")
        .append(" - cap ")
        .append(ledger.settings().maxConcurrent())
        .append(", up to ")
        .append(ledger.settings().maxAttempts())
        .append(" attempts, created ")
        .append(ledger.createdAt())
        .append('\n');
    text.append("  ").append(counts(ledger)).append('\n');
    if (ledger.isFinished()) {
      text.append("  ").append(outcome(ledger)).append('\n');
    } else {
      text.append("  ").append(live(live)).append('\n');
    }
    text.append(
        String.format(
            Locale.ROOT,
            "  %-8s %-10s %-7s %-9s %-9s %s%n",
            "PAIR",
            "STATE",
            "ATTEMPT",
            "STAGE",
            "TIME",
            "DETAIL"));
    Map<Pair, RunProgress.PairLive> running = new HashMap<>();
    live.pairs().forEach(p -> running.put(p.pair(), p));
    for (PairRecord pair : ledger.pairs()) {
      RunProgress.PairLive current = running.get(pair.pair());
      text.append(
          String.format(
              Locale.ROOT,
              "  %-8s %-10s %-7d %-9s %-9s %s%n",
              pair.pair().name(),
              pair.state().name().toLowerCase(Locale.ROOT),
              pair.attempt(),
              stage(pair, current == null ? null : current.stage()),
              duration(pair, now),
              current == null ? detail(pair, now) : liveDetail(current, now)));
    }
    return text.toString();
  }

  /** "live: 2 done, 0 failed, 2 running, 22 queued | 212 tables/min | ETA 3m11s". */
  public static String live(RunProgress live) {
    return String.format(
        Locale.ROOT,
        "live: %d done, %d failed, %d running, %d queued | %.0f tables/min | ETA %s",
        live.done(),
        live.failed() + live.cancelled(),
        live.running(),
        live.queued(),
        live.tablesPerMin(),
        eta(live.etaSeconds()));
  }

  /** A duration in seconds as "1m15s", or "-" when it is not known. */
  public static String eta(Double seconds) {
    return seconds == null ? "-" : format(Duration.ofMillis((long) (seconds * 1000)));
  }

  private static String stage(PairRecord pair, Stage live) {
    if (live != null) {
      return live == Stage.JOB ? "starting" : live.wireName();
    }
    return pair.lastStage() == null ? "-" : pair.lastStage().wireName();
  }

  private static String liveDetail(RunProgress.PairLive pair, Instant now) {
    StringBuilder text = new StringBuilder();
    if (pair.tablesTotal() > 0) {
      text.append(
          String.format(
              Locale.ROOT,
              "%d/%d tables, %.0f tables/min, ",
              pair.tablesDone(),
              pair.tablesTotal(),
              pair.tablesPerMin()));
    }
    text.append("ETA ").append(eta(pair.etaSeconds()));
    if (pair.progressAt() != null) {
      text.append(" (progress of ")
          .append(format(Duration.between(pair.progressAt(), now)))
          .append(" ago)");
    }
    return text.toString();
  }

  /**
   * How a finished run ended, in words: "succeeded with failures: 1 of 3 pairs did not succeed
   * (33%), within the 50% tolerated".
   */
  public static String outcome(RunLedger ledger) {
    RunOutcome outcome = RunOutcome.of(ledger);
    long total = ledger.pairs().size();
    long notSucceeded = total - ledger.count(PairState.SUCCEEDED);
    int tolerated = ledger.settings().toleratedFailurePercent();
    String share =
        String.format(
            Locale.ROOT,
            "%d of %d pairs did not succeed (%.0f%%)",
            notSucceeded,
            total,
            total == 0 ? 0.0 : 100.0 * notSucceeded / total);
    return switch (outcome) {
      case SUCCEEDED -> "succeeded: every pair";
      case SUCCEEDED_WITH_FAILURES ->
          outcome.words() + ": " + share + ", within the " + tolerated + "% tolerated";
      case FAILED ->
          outcome.words() + ": " + share + ", more than the " + tolerated + "% tolerated";
      case CANCELLED -> outcome.words() + ": " + share;
      case RUNNING -> outcome.words();
    };
  }

  private static String duration(PairRecord pair, Instant now) {
    if (pair.startedAt() == null) {
      return "-";
    }
    Instant end = pair.finishedAt() != null ? pair.finishedAt() : now;
    return format(Duration.between(pair.startedAt(), end));
  }

  /** 75 s as "1m15s", 3725 s as "1h02m". */
  public static String format(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  private static String detail(PairRecord pair, Instant now) {
    if (pair.state() == PairState.QUEUED && !pair.due(now)) {
      return "retrying in "
          + format(Duration.between(now, pair.retryAt()))
          + (pair.lastError() == null ? "" : " after: " + pair.lastError());
    }
    if (pair.lastError() != null && pair.state() != PairState.SUCCEEDED) {
      return pair.lastError();
    }
    if (pair.output() != null) {
      return pair.output().uri()
          + " ("
          + pair.output().rows()
          + " rows x "
          + pair.output().columns()
          + " columns)";
    }
    return pair.execution() == null ? "" : pair.execution();
  }
}

package ml.bqx.cli.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ml.bqx.cli.status.StatusView;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.message.Stage;
import ml.bqx.core.report.AttemptReport;
import ml.bqx.core.report.PairReport;
import ml.bqx.core.report.RunReport;
import ml.bqx.core.report.StageTime;

/**
 * A run report as one self-contained HTML page (inline CSS and SVG, nothing fetched): its figures
 * and cost, a timeline with a row per pair, a bar per attempt and, inside it, a bar per stage the
 * attempt's job timed (placed so that its last stage ends where the attempt ended), failures marked
 * with their reason; then a table per pair and per attempt with the same figures.
 */
public final class HtmlRunReport {
  private static final int LABEL_WIDTH = 90;
  private static final int CHART_WIDTH = 860;
  private static final int ROW_HEIGHT = 24;
  private static final List<Stage> STAGES =
      List.of(Stage.EXTRACT, Stage.MERGE, Stage.VALIDATE, Stage.UPLOAD, Stage.CLEANUP);
  private static final Map<Stage, String> STAGE_COLOURS =
      Map.of(
          Stage.EXTRACT, "#4e79a7",
          Stage.MERGE, "#59a14f",
          Stage.VALIDATE, "#edc948",
          Stage.UPLOAD, "#b07aa1",
          Stage.CLEANUP, "#9c755f");

  private HtmlRunReport() {}

  public static String render(RunReport report) {
    Instant start = report.createdAt();
    Instant end = end(report);
    double span = Math.max(1, Duration.between(start, end).toMillis());

    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>bqx run ")
        .append(escape(report.run().value()))
        .append("</title><style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}")
        .append("table{border-collapse:collapse;margin:12px 0}")
        .append("td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}")
        .append(
            "td.n{text-align:right;white-space:nowrap}.failed{color:#c0392b}.legend span{margin-right:14px}")
        .append(
            ".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}")
        .append("</style></head><body>\n");
    html.append("<h1>Run ").append(escape(report.run().value())).append("</h1>\n");
    html.append("<p id=\"outcome\">").append(escape(outcome(report))).append("</p>\n");
    figures(html, report, start, end);
    html.append("<h2>Timeline</h2>\n<div class=\"legend\">");
    for (Stage stage : STAGES) {
      html.append("<span><i class=\"sw\" style=\"background:")
          .append(STAGE_COLOURS.get(stage))
          .append("\"></i>")
          .append(stage.wireName())
          .append("</span>");
    }
    html.append("<span><i class=\"sw\" style=\"background:#bbb\"></i>attempt</span>")
        .append("<span><i class=\"sw\" style=\"background:#e74c3c\"></i>failed attempt</span>")
        .append("</div>\n");
    int height = ROW_HEIGHT * (report.pairs().size() + 1);
    html.append("<svg id=\"timeline\" width=\"")
        .append(LABEL_WIDTH + CHART_WIDTH + 30)
        .append("\" height=\"")
        .append(height)
        .append("\" font-size=\"12\">\n");
    axis(html, span, report.pairs().size());
    int row = 0;
    for (PairReport pair : report.pairs()) {
      int y = row * ROW_HEIGHT;
      html.append("<g class=\"pair-row\" data-pair=\"")
          .append(pair.pair().name())
          .append("\" data-state=\"")
          .append(pair.state().name().toLowerCase(Locale.ROOT))
          .append("\">")
          .append("<text x=\"0\" y=\"")
          .append(y + 16)
          .append("\"")
          .append(pair.state() == PairState.FAILED ? " fill=\"#c0392b\"" : "")
          .append(">")
          .append(pair.pair().name())
          .append("</text>");
      for (AttemptReport attempt : pair.timeline()) {
        bar(html, pair, attempt, start, span, end, y);
      }
      html.append("</g>\n");
      row++;
    }
    html.append("</svg>\n");
    pairTable(html, report);
    attemptTable(html, report);
    html.append("<p>Written by bqx at ").append(report.generatedAt()).append(".</p>\n");
    html.append("</body></html>\n");
    return html.toString();
  }

  private static String outcome(RunReport report) {
    if (report.outcome() == null) {
      return report.finished() ? "finished" : "in progress";
    }
    return report.outcome().words()
        + String.format(
            Locale.ROOT,
            " (%.0f%% of the pairs did not succeed, %d%% tolerated)",
            report.failedPercent(),
            report.settings().toleratedFailurePercent());
  }

  /** The last moment on the timeline: the latest attempt's end, or the report's time. */
  private static Instant end(RunReport report) {
    Instant last = report.createdAt();
    for (PairReport pair : report.pairs()) {
      for (AttemptReport attempt : pair.timeline()) {
        Instant to = attempt.end() == null ? report.generatedAt() : attempt.end();
        if (to.isAfter(last)) {
          last = to;
        }
      }
    }
    return report.finished() || report.generatedAt().isBefore(last) ? last : report.generatedAt();
  }

  private static void figures(StringBuilder html, RunReport report, Instant start, Instant end) {
    double tablesPerMinute = 0;
    int measured = 0;
    long attempts = 0;
    for (PairReport pair : report.pairs()) {
      attempts += pair.timeline().size();
      if (pair.tablesPerMin() > 0) {
        tablesPerMinute += pair.tablesPerMin();
        measured++;
      }
    }
    html.append("<table id=\"figures\">");
    row(html, "Pairs", StatusView.counts(report.pairsTotal(), report.counts()));
    row(html, "Elapsed", StatusView.format(Duration.between(start, end)));
    row(html, "Attempts launched", Long.toString(attempts));
    row(html, "Cap", Integer.toString(report.settings().maxConcurrent()));
    row(html, "Rows written", String.format(Locale.ROOT, "%,d", report.totalRows()));
    row(html, "Bytes written", String.format(Locale.ROOT, "%,d", report.totalBytes()));
    if (measured > 0) {
      row(
          html,
          "Tables/min (mean per pair)",
          String.format(Locale.ROOT, "%.1f", tablesPerMinute / measured));
    }
    row(
        html,
        "Job time (all attempts)",
        StatusView.format(Duration.ofMillis((long) (report.executionSeconds() * 1000))));
    html.append("<tr id=\"run-cost\"><th>Cost, estimated (USD)</th><td>")
        .append(usd(report.costUsd()))
        .append("</td></tr>");
    html.append("</table>\n");
  }

  private static void row(StringBuilder html, String name, String value) {
    html.append("<tr><th>")
        .append(name)
        .append("</th><td>")
        .append(escape(value))
        .append("</td></tr>");
  }

  private static void axis(StringBuilder html, double spanMillis, int rows) {
    int y = rows * ROW_HEIGHT;
    for (int tick = 0; tick <= 4; tick++) {
      double x = LABEL_WIDTH + CHART_WIDTH * tick / 4.0;
      html.append("<line x1=\"")
          .append(fmt(x))
          .append("\" x2=\"")
          .append(fmt(x))
          .append("\" y1=\"0\" y2=\"")
          .append(y)
          .append("\" stroke=\"#eee\"/><text x=\"")
          .append(fmt(x))
          .append("\" y=\"")
          .append(y + 16)
          .append("\" text-anchor=\"middle\" fill=\"#666\">")
          .append(StatusView.format(Duration.ofMillis((long) (spanMillis * tick / 4))))
          .append("</text>\n");
    }
  }

  private static void bar(
      StringBuilder html,
      PairReport pair,
      AttemptReport attempt,
      Instant start,
      double span,
      Instant end,
      int y) {
    Instant to = attempt.end() == null ? end : attempt.end();
    double x0 = x(start, attempt.start(), span);
    double width = Math.max(2, x(start, to, span) - x0);
    html.append("<rect class=\"attempt")
        .append(attempt.failed() ? " failed" : "")
        .append("\" data-attempt=\"")
        .append(attempt.attempt())
        .append("\" x=\"")
        .append(fmt(x0))
        .append("\" y=\"")
        .append(y + 3)
        .append("\" width=\"")
        .append(fmt(width))
        .append("\" height=\"18\" fill=\"")
        .append(attempt.failed() ? "#e74c3c" : "#bbb")
        .append("\"><title>")
        .append(escape(pair.pair().name() + " " + describe(attempt)))
        .append("</title></rect>");
    // The stages run back to back and the job's end is the attempt's end (its terminal event).
    double stagesMillis = attempt.stages().stream().mapToDouble(StageTime::seconds).sum() * 1000;
    double scale = CHART_WIDTH / span;
    double fit = stagesMillis * scale > width ? width / (stagesMillis * scale) : 1;
    double x = x0 + width - stagesMillis * scale * fit;
    for (StageTime stage : attempt.stages()) {
      double w = Math.max(1, stage.seconds() * 1000 * scale * fit);
      html.append("<rect class=\"stage")
          .append(stage.failed() ? " failed" : "")
          .append("\" data-attempt=\"")
          .append(attempt.attempt())
          .append("\" data-stage=\"")
          .append(stage.stage().wireName())
          .append("\" data-seconds=\"")
          .append(String.format(Locale.ROOT, "%.3f", stage.seconds()))
          .append("\" x=\"")
          .append(fmt(x))
          .append("\" y=\"")
          .append(y + 7)
          .append("\" width=\"")
          .append(fmt(w))
          .append("\" height=\"10\" fill=\"")
          .append(STAGE_COLOURS.get(stage.stage()))
          .append("\"")
          .append(stage.failed() ? " stroke=\"#c0392b\" stroke-width=\"2\"" : "")
          .append("><title>")
          .append(pair.pair().name())
          .append(" attempt ")
          .append(attempt.attempt())
          .append(": ")
          .append(stage.stage().wireName())
          .append(' ')
          .append(seconds(stage.seconds()))
          .append(stage.failed() ? " (failed here)" : "")
          .append("</title></rect>");
      x += w;
    }
    if (attempt.failed()) {
      html.append("<text class=\"failure-mark\" data-attempt=\"")
          .append(attempt.attempt())
          .append("\" x=\"")
          .append(fmt(x0 + width + 3))
          .append("\" y=\"")
          .append(y + 16)
          .append("\" fill=\"#c0392b\">&#x2717;<title>")
          .append(escape(attempt.reason() == null ? "failed" : attempt.reason()))
          .append("</title></text>");
    }
  }

  private static String describe(AttemptReport attempt) {
    StringBuilder text =
        new StringBuilder("attempt " + attempt.attempt() + ": " + outcome(attempt));
    text.append(", ").append(seconds(attempt.seconds()));
    if (attempt.tablesPerMin() > 0) {
      text.append(String.format(Locale.ROOT, ", %.0f tables/min", attempt.tablesPerMin()));
    }
    if (attempt.rows() > 0) {
      text.append(
          String.format(
              Locale.ROOT,
              ", %,d rows x %,d columns, %,d bytes",
              attempt.rows(),
              attempt.columns(),
              attempt.bytes()));
    }
    text.append(", ").append(usd(attempt.costUsd())).append(" USD");
    if (attempt.reason() != null) {
      text.append(" - ").append(attempt.reason());
    }
    return text.toString();
  }

  private static String outcome(AttemptReport attempt) {
    if (attempt.outcome() == null) {
      return "running";
    }
    return attempt.outcome() == PairState.QUEUED
        ? "failed, retried"
        : attempt.outcome().name().toLowerCase(Locale.ROOT);
  }

  private static void pairTable(StringBuilder html, RunReport report) {
    html.append("<h2>Pairs</h2>\n<table id=\"pairs\"><tr><th>Pair</th><th>State</th>")
        .append("<th>Attempts</th><th>Time</th><th>Rows</th><th>Columns</th><th>Bytes</th>")
        .append("<th>Tables/min</th><th>Cost (USD)</th><th>Detail</th></tr>\n");
    for (PairReport pair : report.pairs()) {
      html.append("<tr")
          .append(pair.state() == PairState.FAILED ? " class=\"failed\"" : "")
          .append(" data-pair=\"")
          .append(pair.pair().name())
          .append("\"><td>")
          .append(pair.pair().name())
          .append("</td><td>")
          .append(pair.state().name().toLowerCase(Locale.ROOT))
          .append("</td><td class=\"n\">")
          .append(pair.attempts())
          .append("</td><td class=\"n\">")
          .append(pair.timeline().isEmpty() ? "-" : seconds(pair.executionSeconds()))
          .append("</td><td class=\"n\">")
          .append(count(pair.rows()))
          .append("</td><td class=\"n\">")
          .append(count(pair.columns()))
          .append("</td><td class=\"n\">")
          .append(count(pair.bytes()))
          .append("</td><td class=\"n\">")
          .append(
              pair.tablesPerMin() > 0
                  ? String.format(Locale.ROOT, "%.0f", pair.tablesPerMin())
                  : "-")
          .append("</td><td class=\"n cost\">")
          .append(usd(pair.costUsd()))
          .append("</td><td>")
          .append(
              escape(
                  pair.lastError() != null && pair.state() != PairState.SUCCEEDED
                      ? pair.lastError()
                      : pair.output() != null ? pair.output() : ""))
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void attemptTable(StringBuilder html, RunReport report) {
    html.append("<h2>Attempts</h2>\n<table id=\"attempts\"><tr><th>Pair</th><th>Attempt</th>")
        .append("<th>Outcome</th><th>Time</th>");
    for (Stage stage : STAGES) {
      html.append("<th>").append(stage.wireName()).append("</th>");
    }
    html.append("<th>Tables/min</th><th>Rows</th><th>Columns</th><th>Bytes</th>")
        .append("<th>Cost (USD)</th><th>Reason</th></tr>\n");
    for (PairReport pair : report.pairs()) {
      for (AttemptReport attempt : pair.timeline()) {
        html.append("<tr")
            .append(attempt.failed() ? " class=\"failed\"" : "")
            .append("><td>")
            .append(pair.pair().name())
            .append("</td><td class=\"n\">")
            .append(attempt.attempt())
            .append("</td><td>")
            .append(outcome(attempt))
            .append("</td><td class=\"n\">")
            .append(seconds(attempt.seconds()))
            .append("</td>");
        for (Stage stage : STAGES) {
          html.append("<td class=\"n\">")
              .append(
                  attempt.stages().stream()
                      .filter(s -> s.stage() == stage)
                      .map(s -> seconds(s.seconds()) + (s.failed() ? " &#x2717;" : ""))
                      .findFirst()
                      .orElse("-"))
              .append("</td>");
        }
        html.append("<td class=\"n\">")
            .append(
                attempt.tablesPerMin() > 0
                    ? String.format(Locale.ROOT, "%.0f", attempt.tablesPerMin())
                    : "-")
            .append("</td><td class=\"n\">")
            .append(count(attempt.rows()))
            .append("</td><td class=\"n\">")
            .append(count(attempt.columns()))
            .append("</td><td class=\"n\">")
            .append(count(attempt.bytes()))
            .append("</td><td class=\"n\">")
            .append(usd(attempt.costUsd()))
            .append("</td><td>")
            .append(escape(attempt.reason()))
            .append("</td></tr>\n");
      }
    }
    html.append("</table>\n");
  }

  private static String count(long value) {
    return value <= 0 ? "-" : String.format(Locale.ROOT, "%,d", value);
  }

  private static String seconds(double value) {
    return value < 60
        ? String.format(Locale.ROOT, "%.1f s", value)
        : StatusView.format(Duration.ofMillis((long) (value * 1000)));
  }

  private static String usd(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  private static double x(Instant origin, Instant at, double span) {
    return LABEL_WIDTH + CHART_WIDTH * Duration.between(origin, at).toMillis() / span;
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}

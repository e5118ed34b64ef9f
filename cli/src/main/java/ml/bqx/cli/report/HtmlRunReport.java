package ml.bqx.cli.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ml.bqx.cli.status.StatusView;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.Stage;
import ml.bqx.core.pair.Pair;

/**
 * A run as one self-contained HTML page (inline CSS and SVG, nothing fetched): its figures, then a
 * timeline with a row per pair, a bar per attempt, the stages of the last attempt inside its bar,
 * and failed attempts marked.
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

  public static String render(RunLedger ledger, Instant now) {
    Instant start = ledger.createdAt();
    Instant end = RunTimeline.end(ledger, now);
    double span = Math.max(1, Duration.between(start, end).toMillis());
    Map<Pair, List<AttemptSpan>> timeline = RunTimeline.of(ledger, now);

    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>bqx run ")
        .append(escape(ledger.run().value()))
        .append("</title><style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}")
        .append("table{border-collapse:collapse;margin:12px 0}")
        .append("td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}")
        .append("td.n{text-align:right}.failed{color:#c0392b}.legend span{margin-right:14px}")
        .append(
            ".sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}")
        .append("</style></head><body>\n");
    html.append("<h1>Run ").append(escape(ledger.run().value())).append("</h1>\n");
    figures(html, ledger, start, end);
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
    int height = ROW_HEIGHT * (timeline.size() + 1);
    html.append("<svg id=\"timeline\" width=\"")
        .append(LABEL_WIDTH + CHART_WIDTH + 10)
        .append("\" height=\"")
        .append(height)
        .append("\" font-size=\"12\">\n");
    axis(html, span, timeline.size());
    int row = 0;
    for (Map.Entry<Pair, List<AttemptSpan>> entry : timeline.entrySet()) {
      PairRecord record = ledger.pair(entry.getKey()).orElseThrow();
      int y = row * ROW_HEIGHT;
      html.append("<g class=\"pair-row\" data-pair=\"")
          .append(entry.getKey().name())
          .append("\" data-state=\"")
          .append(record.state().name().toLowerCase(Locale.ROOT))
          .append("\">")
          .append("<text x=\"0\" y=\"")
          .append(y + 16)
          .append("\"")
          .append(record.state() == PairState.FAILED ? " fill=\"#c0392b\"" : "")
          .append(">")
          .append(entry.getKey().name())
          .append("</text>");
      for (AttemptSpan attempt : entry.getValue()) {
        bar(html, ledger, record, attempt, start, span, end, y);
      }
      html.append("</g>\n");
      row++;
    }
    html.append("</svg>\n");
    pairTable(html, ledger, timeline);
    html.append("<p>Written by bqx at ").append(now).append(".</p>\n</body></html>\n");
    return html.toString();
  }

  private static void figures(StringBuilder html, RunLedger ledger, Instant start, Instant end) {
    long rows = 0;
    long bytes = 0;
    double tablesPerMinute = 0;
    int measured = 0;
    for (PairRecord pair : ledger.pairs()) {
      if (pair.output() != null) {
        rows += pair.output().rows();
        bytes += pair.output().bytes();
      }
      Double rate = pair.metrics().get("tablesPerMin");
      if (rate != null) {
        tablesPerMinute += rate;
        measured++;
      }
    }
    long attempts = ledger.history().stream().filter(h -> h.to() == PairState.STARTING).count();
    html.append("<table id=\"figures\">");
    row(html, "Pairs", StatusView.counts(ledger));
    row(html, "Elapsed", StatusView.format(Duration.between(start, end)));
    row(html, "Attempts launched", Long.toString(attempts));
    row(html, "Cap", Integer.toString(ledger.settings().maxConcurrent()));
    row(html, "Rows written", String.format(Locale.ROOT, "%,d", rows));
    row(html, "Bytes written", String.format(Locale.ROOT, "%,d", bytes));
    if (measured > 0) {
      row(
          html,
          "Tables/min (mean per pair)",
          String.format(Locale.ROOT, "%.1f", tablesPerMinute / measured));
    }
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
      RunLedger ledger,
      PairRecord record,
      AttemptSpan attempt,
      Instant start,
      double span,
      Instant end,
      int y) {
    Instant to = attempt.end() == null ? end : attempt.end();
    double x0 = x(start, attempt.start(), span);
    double width = Math.max(2, x(start, to, span) - x0);
    String colour = attempt.failed() ? "#e74c3c" : "#bbb";
    html.append("<rect class=\"attempt")
        .append(attempt.failed() ? " failed" : "")
        .append("\" x=\"")
        .append(fmt(x0))
        .append("\" y=\"")
        .append(y + 3)
        .append("\" width=\"")
        .append(fmt(width))
        .append("\" height=\"18\" fill=\"")
        .append(colour)
        .append("\"><title>")
        .append(
            escape(
                record.pair().name()
                    + " attempt "
                    + attempt.attempt()
                    + ": "
                    + (attempt.outcome() == null
                        ? "running"
                        : attempt.outcome().name().toLowerCase(Locale.ROOT))
                    + (attempt.reason() == null ? "" : " - " + attempt.reason())))
        .append("</title></rect>");
    // Stage durations are known for the pair's last finished attempt: draw them inside its bar.
    if (attempt.attempt() == record.attempt()
        && attempt.end() != null
        && attempt.outcome() == record.state()) {
      double x = x0;
      double scale = width / Math.max(1, Duration.between(attempt.start(), to).toMillis());
      for (Stage stage : STAGES) {
        Double millis = record.metrics().get(stage.wireName() + "Ms");
        if (millis == null || millis <= 0) {
          continue;
        }
        double w = Math.min(millis * scale, x0 + width - x);
        if (w <= 0) {
          break;
        }
        html.append("<rect class=\"stage\" x=\"")
            .append(fmt(x))
            .append("\" y=\"")
            .append(y + 7)
            .append("\" width=\"")
            .append(fmt(w))
            .append("\" height=\"10\" fill=\"")
            .append(STAGE_COLOURS.get(stage))
            .append("\"><title>")
            .append(stage.wireName())
            .append(' ')
            .append(StatusView.format(Duration.ofMillis(millis.longValue())))
            .append("</title></rect>");
        x += w;
      }
    }
    if (attempt.failed()) {
      html.append("<text class=\"failure-mark\" x=\"")
          .append(fmt(x0 + width + 3))
          .append("\" y=\"")
          .append(y + 16)
          .append("\" fill=\"#c0392b\">&#x2717;</text>");
    }
  }

  private static void pairTable(
      StringBuilder html, RunLedger ledger, Map<Pair, List<AttemptSpan>> timeline) {
    html.append("<h2>Pairs</h2>\n<table id=\"pairs\"><tr><th>Pair</th><th>State</th>")
        .append("<th>Attempts</th><th>Time</th><th>Rows</th><th>Columns</th><th>Bytes</th>")
        .append("<th>Detail</th></tr>\n");
    for (PairRecord pair : ledger.pairs()) {
      List<AttemptSpan> spans = timeline.get(pair.pair());
      html.append("<tr")
          .append(pair.state() == PairState.FAILED ? " class=\"failed\"" : "")
          .append("><td>")
          .append(pair.pair().name())
          .append("</td><td>")
          .append(pair.state().name().toLowerCase(Locale.ROOT))
          .append("</td><td class=\"n\">")
          .append(pair.attempt())
          .append("</td><td class=\"n\">")
          .append(busy(spans))
          .append("</td><td class=\"n\">")
          .append(
              pair.output() == null ? "-" : String.format(Locale.ROOT, "%,d", pair.output().rows()))
          .append("</td><td class=\"n\">")
          .append(
              pair.output() == null
                  ? "-"
                  : String.format(Locale.ROOT, "%,d", pair.output().columns()))
          .append("</td><td class=\"n\">")
          .append(
              pair.output() == null
                  ? "-"
                  : String.format(Locale.ROOT, "%,d", pair.output().bytes()))
          .append("</td><td>")
          .append(
              escape(
                  pair.lastError() != null
                      ? pair.lastError()
                      : pair.output() != null ? pair.output().uri() : ""))
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  /** Time the pair held a slot, over all its finished attempts. */
  private static String busy(List<AttemptSpan> spans) {
    Duration total = Duration.ZERO;
    for (AttemptSpan span : spans) {
      if (span.end() != null) {
        total = total.plus(Duration.between(span.start(), span.end()));
      }
    }
    return spans.isEmpty() ? "-" : StatusView.format(total);
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

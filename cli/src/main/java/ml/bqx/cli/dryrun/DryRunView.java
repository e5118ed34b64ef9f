package ml.bqx.cli.dryrun;

import java.time.Duration;
import java.util.Locale;
import ml.bqx.cli.status.StatusView;

/** The dry run as a person reads it: a line per pair, then the run's caps, time and cost. */
public final class DryRunView {
  private DryRunView() {}

  public static String render(DryRunReport report) {
    StringBuilder text = new StringBuilder();
    text.append("dry run: nothing was started and nothing was written\n");
    text.append("warehouse: ").append(report.warehouse()).append('\n');
    text.append(
        String.format(
            Locale.ROOT,
            "rate: %s/s of a job's slot time, %s%n",
            bytes(report.rate().bytesPerSecond()),
            report.rate().source()));
    text.append(
        String.format(
            Locale.ROOT,
            "%-8s %7s %9s %10s %8s %9s%n",
            "pair",
            "tables",
            "rows",
            "to read",
            "time",
            "cost"));
    for (PairEstimate pair : report.pairs()) {
      text.append(
          String.format(
              Locale.ROOT,
              "%-8s %7d %9d %10s %8s %9s",
              pair.pair(),
              pair.tables(),
              pair.rows(),
              bytes(pair.bytes()),
              time(pair.seconds()),
              usd(pair.cloudRunUsd() + pair.storageReadUsd())));
      if (pair.problem() != null) {
        text.append("  PROBLEM: ").append(pair.problem());
      } else if (pair.note() != null) {
        text.append("  (").append(pair.note()).append(')');
      }
      text.append('\n');
    }
    text.append(
        String.format(
            Locale.ROOT,
            "run: %d pairs, %d at once (run cap %d, project cap %d), up to %d attempts each%n",
            report.pairs().size(),
            report.slots(),
            report.maxConcurrent(),
            report.projectMaxConcurrent(),
            report.maxAttempts()));
    text.append(
        String.format(
            Locale.ROOT,
            "expected: %s to read, %s of job time, wall time %s%n",
            bytes(report.bytes()),
            time(report.jobSeconds()),
            time(report.wallSeconds())));
    String cloudRun =
        String.format(
            Locale.ROOT,
            "Cloud Run %.1f vCPU-s + %.1f GiB-s %s",
            report.vcpuSeconds(),
            report.gibSeconds(),
            usd(report.cloudRunUsd()));
    if (report.local()) {
      text.append("cost: none on this machine (on Google Cloud: ").append(cloudRun).append(")\n");
    } else {
      text.append(
          String.format(
              Locale.ROOT,
              "cost: %s + Storage Read %s (%s) = %s%n",
              cloudRun,
              usd(report.storageReadUsd()),
              bytes(report.bytes()),
              usd(report.usd())));
    }
    if (report.hasProblems()) {
      text.append("some pairs would fail: see PROBLEM above\n");
    }
    return text.toString();
  }

  /** Decimal units, as Google prices and bills them (1 MB = 10^6 bytes). */
  public static String bytes(double bytes) {
    String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
    int unit = 0;
    double value = bytes;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return unit == 0
        ? String.format(Locale.ROOT, "%.0f B", value)
        : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  static String time(double seconds) {
    if (seconds > 0 && seconds < 1) {
      return "<1s";
    }
    return StatusView.format(Duration.ofSeconds(Math.round(seconds)));
  }

  static String usd(double usd) {
    return usd > 0 && usd < 0.0001
        ? "<$0.0001"
        : String.format(Locale.ROOT, usd < 1 ? "$%.4f" : "$%.2f", usd);
  }
}

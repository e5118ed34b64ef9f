package ml.bqx.cli.local;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import ml.bqx.cli.context.CliContext;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.progress.ProgressStore;

/**
 * Follows a run's ledger and its running jobs' progress objects until the run is finished or
 * stopped, showing its {@link ProgressView} line: redrawn in place on a terminal; otherwise a plain
 * line when the run changes, or every ten seconds.
 */
final class ProgressPrinter {
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration PLAIN_EVERY = Duration.ofSeconds(10);

  private final CliContext context;
  private final ProgressView progress;
  private final ProgressStore jobs;

  ProgressPrinter(CliContext context, ProgressView progress, ProgressStore jobs) {
    this.context = context;
    this.progress = progress;
    this.jobs = jobs;
  }

  /** The run's ledger when it finished, or when {@code stopped} turned true. */
  RunLedger follow(LedgerStore ledgers, RunLedger ledger, BooleanSupplier stopped)
      throws IOException, InterruptedException {
    String last = "";
    boolean tty = context.interactive();
    Instant lastPrinted = Instant.MIN;
    while (!ledger.isFinished() && !stopped.getAsBoolean()) {
      Thread.sleep(POLL.toMillis());
      ledger = ledgers.load(ledger.run()).orElse(ledger);
      Instant now = context.clock().instant();
      String line = progress.line(ledger, jobs.running(ledger), now);
      if (tty) {
        context.out().print("\r\033[K" + line);
        context.out().flush();
      } else if (!withoutClocks(line).equals(last)
          || Duration.between(lastPrinted, now).compareTo(PLAIN_EVERY) >= 0) {
        context.out().println(line);
        lastPrinted = now;
      }
      last = withoutClocks(line);
    }
    if (tty) {
      context.out().println();
    }
    return ledger;
  }

  /** The line without what moves on its own (elapsed, tables/min, ETA): what changed in the run. */
  static String withoutClocks(String line) {
    return line.substring(line.indexOf(']'))
        .replaceAll("\\| [0-9-]+ tables/min \\| ETA [^|]* \\|", "|");
  }
}

package ml.bqx.cli.dryrun;

import java.time.Instant;
import java.util.List;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.report.CostModel;
import ml.bqx.core.report.PairReport;
import ml.bqx.core.report.RunReport;

/**
 * The rate a dry run turns bytes into time with: logical bytes built per second a job holds its
 * slot, measured on the newest finished run of the same staging store (each succeeded pair's rows x
 * columns x 8 bytes over its measured slot time, every attempt included), else a default.
 *
 * @param source where the rate comes from, said in the dry run's output
 */
public record ReadRate(double bytesPerSecond, boolean measured, String source) {
  /**
   * {@code bqx bench}'s whole job at the seed's scale (README, Benchmarks): 100,800 rows x 10,696
   * columns x 8 bytes in 127 s, about 68 MB/s.
   */
  static final double DEFAULT_BYTES_PER_SECOND = 100_800.0 * 10_696 * 8 / 127;

  /** The rate of the newest finished run with a succeeded pair among these, else the default. */
  public static ReadRate of(List<RunLedger> newestFirst, CostModel cost, Instant now) {
    for (RunLedger ledger : newestFirst) {
      if (!ledger.isFinished()) {
        continue;
      }
      double bytes = 0;
      double seconds = 0;
      int pairs = 0;
      for (PairReport pair : RunReport.of(ledger, cost, now).pairs()) {
        if (pair.state() == PairState.SUCCEEDED
            && pair.rows() > 0
            && pair.columns() > 0
            && pair.executionSeconds() > 0) {
          bytes += (double) pair.rows() * pair.columns() * Byte.SIZE;
          seconds += pair.executionSeconds();
          pairs++;
        }
      }
      if (pairs > 0) {
        return new ReadRate(
            bytes / seconds,
            true,
            "measured on run " + ledger.run() + " (" + pairs + " succeeded pairs)");
      }
    }
    return new ReadRate(
        DEFAULT_BYTES_PER_SECOND,
        false,
        "default rates: no finished run with a succeeded pair to measure (bqx bench's whole job"
            + " at the seed's scale)");
  }
}

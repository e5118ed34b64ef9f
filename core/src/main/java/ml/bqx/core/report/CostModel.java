package ml.bqx.core.report;

import java.time.Duration;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;

/** Prices one job execution from its measured duration and the job's CPU and memory. */
public record CostModel(
    double cpus, double memoryGib, double usdPerVcpuSecond, double usdPerGibSecond) {
  public static CostModel from(BqxConfig config) {
    return new CostModel(
        config.doubleValue(EnvKey.BQX_JOB_CPU),
        config.doubleValue(EnvKey.BQX_JOB_MEMORY_GIB),
        config.doubleValue(EnvKey.BQX_PRICE_VCPU_SECOND),
        config.doubleValue(EnvKey.BQX_PRICE_GIB_SECOND));
  }

  /** USD for an execution that ran this long. */
  double cost(Duration ran) {
    return usd(ran.toMillis() / 1000.0);
  }

  /** USD for an execution of this many seconds (a measured one, or a dry run's estimate). */
  public double usd(double seconds) {
    return seconds * (cpus * usdPerVcpuSecond + memoryGib * usdPerGibSecond);
  }
}

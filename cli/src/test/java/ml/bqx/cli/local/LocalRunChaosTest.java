package ml.bqx.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ml.bqx.core.testing.ChildProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos trial of issue 15, small: one round of two runs of three pairs and a kill of each kind
 * (kill -9 of a job, of the function host and of a runner, which is resumed). {@code
 * scripts/chaos-trial.sh} runs the full one (30 kills and more) through this same test; a failing
 * seed is replayed with {@code scripts/chaos-trial.sh --seed N}.
 */
@ExtendWith(ChildProcesses.class)
class LocalRunChaosTest {
  private static final ChaosTrial.Settings SMALL =
      new ChaosTrial.Settings(20261201L, 3, 3, 2, 2, 6);

  @TempDir Path dir;

  @Test
  void killsOfJobsHostsAndRunners_endWithEveryPairBuiltOnce_withinTheCaps() throws Exception {
    ChaosTrial.Settings settings = SMALL.fromSystemProperties();

    ChaosTrial.Report report = new ChaosTrial(settings, dir).run();

    System.out.println(report.summary());
    assertThat(report.problems())
        .as(
            "replay with scripts/chaos-trial.sh --seed "
                + settings.seed()
                + "; "
                + report.summary())
        .isEmpty();
    assertThat(report.kills().values().stream().mapToInt(Integer::intValue).sum())
        .isGreaterThanOrEqualTo(settings.kills());
    assertThat(report.kills().values()).allMatch(n -> n > 0);
    assertThat(report.mostJobsAtOnce()).as("jobs seen while sampling").isPositive();
  }
}

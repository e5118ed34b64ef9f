package ml.bqx.cli.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.TableSize;
import ml.bqx.core.report.CostModel;
import org.junit.jupiter.api.Test;

class DryRunPlannerTest {
  private static final double TIB = Math.pow(1024, 4);
  private static final ReadRate ONE_MB_A_SECOND = new ReadRate(1e6, true, "test");

  private static PairTables pair(String name, long bytes) {
    return new PairTables(
        Pair.parse(name),
        List.of(
            new TableSize("targets_" + name, 10, bytes / 2),
            new TableSize("mom_w5_" + name, 10, bytes - bytes / 2)),
        null);
  }

  @Test
  void wallTime_pairsTakeTheSlotThatFreesFirst_inOrder() {
    // Slots A and B: 10 s on A, 20 s on B, the 30 s pair on A from 10 s: the last ends at 40 s.
    assertThat(DryRunPlanner.wallSeconds(List.of(10.0, 20.0, 30.0), 2)).isEqualTo(40.0);
    assertThat(DryRunPlanner.wallSeconds(List.of(10.0, 20.0, 30.0), 1)).isEqualTo(60.0);
    assertThat(DryRunPlanner.wallSeconds(List.of(10.0, 20.0, 30.0), 8)).isEqualTo(30.0);
  }

  @Test
  void plan_onBigQuery_billsStorageReadPerTib_andCloudRunPerSecond() {
    DryRunPlanner planner = new DryRunPlanner(new CostModel(4, 12, 0.00002, 0.000002), 1.1, rate());

    DryRunReport report =
        planner.plan(
            "bigquery://p/d",
            false,
            true,
            List.of(pair("audcad", 30_000_000), pair("eurjpy", 10_000_000)),
            new RunSettings(2, 3, 0),
            8);

    PairEstimate audcad = report.pairs().get(0);
    assertThat(audcad.seconds()).isEqualTo(30.0);
    assertThat(audcad.cloudRunUsd()).isCloseTo(30 * (4 * 0.00002 + 12 * 0.000002), offset(1e-12));
    assertThat(audcad.storageReadUsd()).isCloseTo(30_000_000 / TIB * 1.1, offset(1e-15));
    assertThat(report.bytes()).isEqualTo(40_000_000);
    assertThat(report.wallSeconds()).isEqualTo(30.0);
    assertThat(report.usd())
        .isCloseTo(report.cloudRunUsd() + report.storageReadUsd(), offset(1e-15));
    assertThat(report.hasProblems()).isFalse();
  }

  @Test
  void plan_aPairWithoutItsTargetsTable_isAProblem_andCostsNothing() {
    DryRunPlanner planner = new DryRunPlanner(new CostModel(4, 12, 0.00002, 0.000002), 1.1, rate());
    PairTables noTargets =
        new PairTables(
            Pair.parse("audcad"), List.of(new TableSize("mom_w5_audcad", 10, 800)), null);

    DryRunReport report =
        planner.plan("duckdb:///w", true, false, List.of(noTargets), new RunSettings(1, 1, 0), 8);

    assertThat(report.hasProblems()).isTrue();
    assertThat(report.pairs().get(0).problem())
        .isEqualTo("no targets table targets_audcad: the job would fail at discovery");
    assertThat(report.pairs().get(0).cloudRunUsd()).isZero();
  }

  private static ReadRate rate() {
    return ONE_MB_A_SECOND;
  }
}

package ml.bqx.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import ml.bqx.cli.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandInputTest {
  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "local run --pairs eurusd --all|choose one of --pairs, --all and --production",
        "local run --pairs eurxxx --scale tiny|xxx",
        "local run --scale huge|unknown scale 'huge': use tiny, small or seed",
        "local run --max-concurrent 0|--max-concurrent must be 1 or more, not 0",
        "local run --max-attempts 0|--max-attempts must be 1 or more, not 0",
        "local run --resume r1 --run r2|--resume names the run: leave out --run",
        "local run --pairs eurusd --tolerate-failures 101|--tolerate-failures must be a percentage from 0 to 100, not 101",
        "local run --pairs eurusd --priority gbpjpy|--priority names gbpjpy, which is not one of the run's pairs",
        "local run --pairs eurusd --retry-backoff -1|--retry-backoff and --retry-backoff-max must be 0 or more seconds",
        "local run --seed-rows -5|--seed-tables and --seed-rows must be 1 or more",
        "local run --resume r1 --workdir w|no warehouse to resume run 'r1' with in",
        "publish usdeur --workdir w|usdeur",
        "run --pairs eurusd --workdir w|no local runner is live for",
        "warehouse seed --scale tiny --rows 0 --out w.duckdb|tables, rows and columns must be 1 or more",
        "report r1 --workdir w|Missing required option: '--html=FILE'",
      })
  void badInput_givesOneLineReasonAndExit2(String line, String reason) {
    CliRun run = CliRun.of(dir, line.split(" "));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("bqx: ").contains(reason);
    assertThat(dir.resolve(".bqx")).doesNotExist();
  }

  @Test
  void warehouseSeed_writesEveryTableOfThePairs() throws Exception {
    CliRun run =
        CliRun.of(
            dir,
            "warehouse",
            "seed",
            "--pairs",
            "audcad,eurjpy",
            "--tables",
            "2",
            "--rows",
            "50",
            "--columns",
            "3",
            "--out",
            "wh.duckdb");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("seeded " + dir.resolve("wh.duckdb"))
        .contains("2 pairs, 6 tables");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("wh.duckdb"));
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '%audcad%'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(3);
    }
  }
}

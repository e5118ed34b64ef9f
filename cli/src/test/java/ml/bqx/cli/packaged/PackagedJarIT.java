package ml.bqx.cli.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.WarehouseLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start as a user runs it: the {@code bqx} script at the repository's root, on the shaded
 * jar the build just packaged, never this JVM's class path. The unit tests run on the class path,
 * so a dependency the jar lacks (a stub at the wrong scope, a service file the shade dropped)
 * passes them all and fails here.
 */
class PackagedJarIT {
  private static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
  private static final List<String> PAIRS = List.of("eurusd", "usdjpy");

  @TempDir Path work;

  @Test
  void bqxScript_localRunOfTwoPairs_onThePackagedJar_buildsFilesEqualInRowsToTheirTargets()
      throws Exception {
    Run run =
        bqx(
            "local",
            "run",
            "--pairs",
            String.join(",", PAIRS),
            "--scale",
            "tiny",
            "--workdir",
            work.toString());

    assertThat(run.exit).as(run.output).isZero();
    assertThat(run.output).contains("2 pairs: 2 succeeded, 0 failed, 0 running, 0 queued");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duck.createStatement()) {
      sql.execute("ATTACH '" + work.resolve("warehouse.duckdb") + "' AS w (READ_ONLY)");
      for (String name : PAIRS) {
        Path file = work.resolve("output").resolve("training_" + name + ".parquet");
        assertThat(file).as(run.output).isRegularFile();
        String targets =
            "w." + WarehouseLayout.DATASET + "." + WarehouseLayout.targetsTable(Pair.parse(name));
        assertThat(count(sql, "read_parquet('" + file + "')")).isEqualTo(count(sql, targets));
      }
    }
  }

  @Test
  void bqxScript_badOption_saysWhyInOneLine_andExitsTwo() throws Exception {
    Run run = bqx("local", "run", "--scale", "huge", "--workdir", work.toString());

    assertThat(run.exit).isEqualTo(2);
    assertThat(run.output).contains("huge");
    assertThat(Files.exists(work.resolve("warehouse.duckdb"))).isFalse();
  }

  private record Run(int exit, String output) {}

  private static Run bqx(String... args) throws IOException, InterruptedException {
    Path jar = ROOT.resolve("cli/target/bqx.jar");
    assertThat(jar).as("the package phase makes it").isRegularFile();
    List<String> command =
        new java.util.ArrayList<>(List.of("bash", ROOT.resolve("bqx").toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile("bqx-packaged", ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(15, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    return new Run(process.waitFor(), output);
  }

  private static long count(Statement sql, String from) throws SQLException {
    try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM " + from)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}

package ml.bqx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ml.bqx.cli.context.CliContext;
import ml.bqx.cli.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class BqxCommandLineTest {
  @TempDir Path dir;

  @Test
  void everyCommand_answersHelp() {
    CommandLine line = Bqx.commandLine(CliContext.ofProcess());
    List<List<String>> paths = new java.util.ArrayList<>();
    collect(line, List.of(), paths);
    assertThat(paths).contains(List.of("status"), List.of("report"));
    for (List<String> path : paths) {
      String[] args =
          new java.util.ArrayList<String>(path) {
            {
              add("--help");
            }
          }.toArray(new String[0]);
      CliRun run = CliRun.of(dir, args);
      assertThat(run.exitCode()).as("bqx %s --help", path).isZero();
      assertThat(run.out()).as("bqx %s --help", path).contains("Usage: bqx");
    }
  }

  @Test
  void localRunHelp_documentsResumeAndTheAdvancedSeedOptions() {
    CliRun run = CliRun.of(dir, "local", "run", "--help");
    assertThat(run.out())
        .contains("--resume=RUN", "Continue a run")
        .contains("--seed-tables=N", "--seed-rows=N", "Advanced:");
  }

  private static void collect(CommandLine line, List<String> prefix, List<List<String>> into) {
    into.add(prefix);
    line.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!name.equals("help")) {
                List<String> path = new java.util.ArrayList<>(prefix);
                path.add(name);
                collect(sub, path, into);
              }
            });
  }

  @Test
  void version_namesTheBuild() {
    CliRun run = CliRun.of(dir, "--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("bqx ").contains("Java 17");
  }

  @Test
  void noCommand_isAUsageError() {
    CliRun run = CliRun.of(dir);
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("bqx: name a command (see --help) (try 'bqx --help')\n");
  }

  @Test
  void unknownOption_givesOneLineReasonAndExit2() {
    CliRun run = CliRun.of(dir, "status", "--bogus");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly("bqx: Unknown option: '--bogus' (try 'bqx status --help')");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bad_Run", "run!", "a/b"})
  void badRunId_givesOneLineReasonAndExit2(String run) {
    CliRun result = CliRun.of(dir, "status", run, "--workdir", dir.toString());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err()).contains("is not a run id");
  }

  @Test
  void missingStaging_namesTheVariable() {
    CliRun run = CliRun.of(dir, "status");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly(
            "bqx: BQX_STAGING is not set: Staging store for ledgers, checkpoints and staging files: gs://BUCKET[/prefix] or file:///dir.");
  }

  @Test
  void unknownRun_saysWhereItLooked() {
    CliRun run = CliRun.of(dir, "status", "nope", "--workdir", "w");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err())
        .contains("no run 'nope'")
        .contains(dir.resolve("w/staging/runs/nope/ledger.json").toString());
  }

  @Test
  void unknownStoreScheme_saysWhichAreKnown() {
    CliRun run = CliRun.of(dir, "status", "r1", "--staging", "ftp://host/x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).contains("no object store for 'ftp://host/x'").contains("file://");
  }
}

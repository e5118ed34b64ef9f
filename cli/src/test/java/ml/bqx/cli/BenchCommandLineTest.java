package ml.bqx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ml.bqx.cli.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bqx bench} with bad flags, through bqx's entry point: one line saying why, exit 2. */
class BenchCommandLineTest {
  @TempDir Path dir;

  @Test
  void badFlagValue_givesOneLineReasonAndExit2() {
    CliRun run = CliRun.of(dir, "bench", "--repeat", "many");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("bqx: ")
        .contains("--repeat", "'many'")
        .endsWith("(try 'bqx bench --help')");
  }

  @Test
  void unknownFlag_givesOneLineReasonAndExit2() {
    CliRun run = CliRun.of(dir, "bench", "--turbo");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly("bqx: Unknown option: '--turbo' (try 'bqx bench --help')");
  }
}

package ml.bqx.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local checks' failing cases that a machine running the build cannot show through bqx. */
class LocalCheckTest {
  @TempDir Path dir;

  /** A Java home whose {@code bin/java -version} prints what this Java says. */
  private Path javaHome(String says) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/bin/sh\necho '" + says + "' >&2\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir.resolve("jdk");
  }

  @Test
  void java_olderThan17_fails_sayingWhichAndWhere() throws Exception {
    Path home = javaHome("openjdk version \"11.0.22\" 2024-01-16");

    List<CheckResult> results = new JavaCheck(home).run();

    assertThat(results)
        .containsExactly(
            CheckResult.fail(
                "java",
                "Java 11 at " + home.resolve("bin/java") + ", older than 17",
                "install Java 17 or newer and run bqx with it (JAVA_HOME, PATH)"));
  }

  @Test
  void java_8sOldVersionScheme_isReadAs8_andFails() throws Exception {
    assertThat(new JavaCheck(javaHome("java version \"1.8.0_392\"")).run().get(0).found())
        .startsWith("Java 8 at ");
  }

  @Test
  void java_17OrNewer_passes_andNoJava_fails() throws Exception {
    assertThat(new JavaCheck(javaHome("openjdk version \"21.0.4\" 2024-07-16")).run().get(0).ok())
        .isTrue();
    CheckResult none = new JavaCheck(dir.resolve("nowhere")).run().get(0);
    assertThat(none.ok()).isFalse();
    assertThat(none.found()).isEqualTo("no java at " + dir.resolve("nowhere/bin/java"));
  }

  @Test
  void disk_needingMoreThanIsFree_fails_withHowMuchToFree() throws Exception {
    long huge = Long.MAX_VALUE / 8;

    CheckResult result = new DiskCheck(dir, 0, huge, 2, 4).run().get(0);

    assertThat(result.ok()).isFalse();
    assertThat(result.found()).contains(" free under " + dir + ", the run needs about ");
    assertThat(result.fix()).startsWith("free ").contains("--workdir on a bigger disk");
  }

  @Test
  void disk_needed_isTheSeedTheOutputsAndTheCheckpointsOfThePairsAtOnce() throws Exception {
    DiskCheck check = new DiskCheck(dir, 1_000, 100, 5, 2);

    assertThat(check.needed()).isEqualTo(1_000 + 5 * 100 + 2 * 2 * 100);
    assertThat(check.run().get(0).ok()).isTrue();
  }
}

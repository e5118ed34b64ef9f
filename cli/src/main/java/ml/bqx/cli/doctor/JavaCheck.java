package ml.bqx.cli.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java that runs the jobs and the function host of a local run (the JVM of {@code bqx} itself:
 * the launcher starts {@code java.home/bin/java}) is 17 or newer, asked by running it.
 */
final class JavaCheck implements Check {
  static final int NEEDED = 17;
  private static final Pattern VERSION = Pattern.compile("version \"(1\\.)?(\\d+)[^\"]*\"");

  private final Path javaHome;

  JavaCheck(Path javaHome) {
    this.javaHome = javaHome;
  }

  @Override
  public List<CheckResult> run() throws IOException, InterruptedException {
    Path java = javaHome.resolve("bin").resolve("java");
    String fix = "install Java " + NEEDED + " or newer and run bqx with it (JAVA_HOME, PATH)";
    if (!Files.isExecutable(java)) {
      return List.of(CheckResult.fail("java", "no java at " + java, fix));
    }
    Process process =
        new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    Matcher version = VERSION.matcher(output);
    if (!version.find()) {
      return List.of(
          CheckResult.fail("java", java + " -version says no version: " + firstLine(output), fix));
    }
    int feature = Integer.parseInt(version.group(2));
    String found = "Java " + feature + " at " + java;
    return List.of(
        feature >= NEEDED
            ? CheckResult.ok("java", found)
            : CheckResult.fail("java", found + ", older than " + NEEDED, fix));
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("");
    return line.isEmpty() ? "(nothing)" : line;
  }
}

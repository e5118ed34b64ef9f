package ml.bqx.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ml.bqx.core.testing.ChildProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ChildProcesses.class)
class JavaCommandTest {
  @TempDir Path dir;

  @Test
  void of_startsAJvmOnThisClassPath_withArrowsOpens_theOptions_andTheArguments()
      throws IOException, InterruptedException {
    List<String> command =
        JavaCommand.of(ChildJvmProbe.class.getName(), List.of("-Xmx48m"), List.of("a", "b=c"));

    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    assertThat(out).contains("args a,b=c").contains("java.nio open true");
    long maxHeapMb = Long.parseLong(out.replaceAll("(?s).*max heap MB (\\d+).*", "$1").trim());
    assertThat(maxHeapMb).isLessThanOrEqualTo(48);
    assertThat(command.get(0))
        .isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  @Test
  void classPath_ofTheJvmsOwnLoader_isTheJvmsClassPath() {
    assertThat(JavaCommand.classPath(ClassLoader.getSystemClassLoader()))
        .isEqualTo(System.getProperty("java.class.path"));
  }

  @Test
  void classPath_ofALoaderOfItsOwn_isThatLoadersFiles_notTheJvms() throws IOException {
    // The invoker loads a function from its --classpath: a child must get those jars.
    Path jar = dir.resolve("function.jar");
    Path classes = dir.resolve("classes");
    try (URLClassLoader loader =
        new URLClassLoader(
            new URL[] {
              jar.toUri().toURL(), classes.toUri().toURL(), new URL("http://example.com/x.jar")
            },
            null)) {
      assertThat(JavaCommand.classPath(loader)).isEqualTo(jar + File.pathSeparator + classes);
    }
  }
}

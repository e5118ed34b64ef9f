package ml.bqx.local.launcher;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands for the job in launcher tests: echoes its environment (or, with {@code FAKE_MODE=machine},
 * the machine its JVM sees), then exits as told.
 */
public final class FakeJobMain {
  private FakeJobMain() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(System.getenv("FAKE_OUT"));
    if ("machine".equals(System.getenv("FAKE_MODE"))) {
      Files.writeString(
          out,
          "cpus="
              + Runtime.getRuntime().availableProcessors()
              + " "
              + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
      return;
    }
    Files.writeString(
        out,
        System.getenv("TARGET_PAIR")
            + " "
            + System.getenv("RUN_ID")
            + " "
            + System.getenv("ATTEMPT")
            + " "
            + System.getenv("BQX_STAGING"));
    if ("sleep".equals(System.getenv("FAKE_MODE"))) {
      Thread.sleep(120_000);
    }
    System.exit(Integer.parseInt(System.getenv().getOrDefault("FAKE_EXIT", "0")));
  }
}

package ml.bqx.local.launcher;

import java.nio.file.Files;
import java.nio.file.Path;

/** Stands for the job in launcher tests: echoes its environment, then exits as told. */
public final class FakeJobMain {
  private FakeJobMain() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(System.getenv("FAKE_OUT"));
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

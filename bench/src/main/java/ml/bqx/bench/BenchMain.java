package ml.bqx.bench;

/**
 * Runs {@code bench} standalone: {@code java --add-opens=... -cp <class path>
 * ml.bqx.bench.BenchMain}.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    System.exit(BenchCommand.newCommandLine().execute(args));
  }
}

package ml.bqx.functions;

/**
 * A stand-in for the pipeline job's main in a launched child process: it proves the child started
 * on the function's class path, with the launch's environment, and ends at once.
 */
public final class MarkerJobMain {
  static final String LINE = "marker job ran for ";

  private MarkerJobMain() {}

  public static void main(String[] args) {
    System.out.println(LINE + System.getenv("TARGET_PAIR") + " run " + System.getenv("RUN_ID"));
  }
}

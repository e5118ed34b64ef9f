package ml.bqx.core.control;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/**
 * The one log line of a pair that ended FAILED for good (not an attempt that will be retried): a
 * JSON object on stderr, which Cloud Run and Cloud Functions read as a structured entry (its fields
 * in {@code jsonPayload}, {@code severity} as the entry's). The failed-pairs metric of
 * terraform/monitoring.tf counts these lines by their {@link #EVENT} field and labels them by
 * {@link #PAIR}.
 */
public final class PairFailedLog {
  /** The field naming what the line records. */
  public static final String EVENT = "event";

  /** The value of {@link #EVENT} on this line. */
  public static final String PAIR_FAILED = "pair_failed";

  /** The field holding the pair's name, e.g. {@code eurusd}. */
  public static final String PAIR = "pair";

  public static final String RUN = "run";
  public static final String ATTEMPT = "attempt";

  private PairFailedLog() {}

  /** The line, without its line break. */
  private static String line(RunId run, Pair pair, int attempt, String reason) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("severity", "ERROR");
    line.put(
        "message",
        "pair "
            + pair.name()
            + " of run "
            + run
            + " failed after attempt "
            + attempt
            + ": "
            + reason);
    line.put(EVENT, PAIR_FAILED);
    line.put(RUN, run.value());
    line.put(PAIR, pair.name());
    line.put(ATTEMPT, attempt);
    return Json.toString(line);
  }

  /** Writes the line to the process's stderr as it is now. */
  static void write(RunId run, Pair pair, int attempt, String reason) {
    PrintStream err = System.err;
    err.println(line(run, pair, attempt, reason));
    err.flush();
  }
}

package ml.bqx.job.stage;

import java.util.Map;

/** What a running stage may tell while it runs. */
public interface StageProgress {
  /** Publishes a progress event of the stage. */
  void report(String message, Map<String, Double> metrics);

  /** How long the stage has run, from just before its started event. */
  long elapsedMillis();
}

package ml.bqx.job.stage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.bqx.core.message.Metric;
import ml.bqx.core.message.Stage;

/** What a stage event says: its message and its metrics (the event adds the heap's peak). */
public record StageReport(String message, Map<String, Double> metrics) {
  public StageReport {
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** "{@code <stage> done}" with the result's metrics, then {@code durationMs}. */
  public static StageReport done(Stage stage, Map<String, Double> metrics, long durationMs) {
    Map<String, Double> all = new LinkedHashMap<>(metrics);
    all.put(Metric.DURATION_MS, (double) durationMs);
    return new StageReport(stage.wireName() + " done", all);
  }

  /** Metrics from names and numbers, in this order: {@code metrics("rows", 10, "bytes", 5L)}. */
  public static Map<String, Double> metrics(Object... namesAndNumbers) {
    Map<String, Double> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndNumbers.length; i += 2) {
      map.put((String) namesAndNumbers[i], ((Number) namesAndNumbers[i + 1]).doubleValue());
    }
    return map;
  }
}

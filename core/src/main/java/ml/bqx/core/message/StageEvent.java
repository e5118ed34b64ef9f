package ml.bqx.core.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import ml.bqx.core.json.Json;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.text.OneLine;

/**
 * One step of one attempt of one pair's job: a stage (or the whole job) started, made progress,
 * succeeded or failed. The job's terminal event ({@code stage=job}, succeeded or failed) is what
 * the completion function acts on; everything else is progress for people.
 *
 * @param metrics numbers such as tables, rows, columns, bytes, durationMs, tablesPerMin
 * @param message a one-line human reason (failures) or progress text
 * @param retryable on a failure: whether another attempt could succeed
 * @param output on the job's success: the published object
 */
public record StageEvent(
    String schema,
    RunId run,
    Pair pair,
    int attempt,
    Stage stage,
    EventStatus status,
    Instant at,
    String message,
    Boolean retryable,
    Map<String, Double> metrics,
    OutputFacts output) {
  public static final String SCHEMA = "bqx.stage-event/1";
  public static final String KIND = "stage-event";
  private static final String WHAT = "stage event";

  public StageEvent {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(pair, "pair");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(at, "at");
    schema = schema == null ? SCHEMA : schema;
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }

  /** Starts building an event of one attempt. */
  public static StageEvent of(
      RunId run, Pair pair, int attempt, Stage stage, EventStatus status, Instant at) {
    return new StageEvent(
        SCHEMA, run, pair, attempt, stage, status, at, null, null, Map.of(), null);
  }

  public StageEvent withMessage(String text) {
    return new StageEvent(
        schema, run, pair, attempt, stage, status, at, text, retryable, metrics, output);
  }

  public StageEvent withRetryable(boolean value) {
    return new StageEvent(
        schema, run, pair, attempt, stage, status, at, message, value, metrics, output);
  }

  public StageEvent withMetrics(Map<String, Double> values) {
    Map<String, Double> merged = new LinkedHashMap<>(metrics);
    merged.putAll(values);
    return new StageEvent(
        schema, run, pair, attempt, stage, status, at, message, retryable, merged, output);
  }

  public StageEvent withOutput(OutputFacts facts) {
    return new StageEvent(
        schema, run, pair, attempt, stage, status, at, message, retryable, metrics, facts);
  }

  /** True for the event the completion function acts on. */
  public boolean isJobTerminal() {
    return stage == Stage.JOB && status.isTerminal();
  }

  public BusMessage toBusMessage() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(Attributes.KIND, KIND);
    attributes.put(Attributes.RUN, run.value());
    attributes.put(Attributes.PAIR, pair.name());
    attributes.put(Attributes.ATTEMPT, Integer.toString(attempt));
    attributes.put(Attributes.STAGE, stage.wireName());
    attributes.put(Attributes.STATUS, status.wireName());
    return new BusMessage(Json.toBytes(this), attributes);
  }

  /** Parses a delivered event, refusing anything malformed with a one-line reason. */
  public static StageEvent parse(BusMessage message) {
    ObjectNode body = JsonFields.object(message.data(), WHAT);
    String schema = JsonFields.requiredText(body, "schema", WHAT);
    if (!SCHEMA.equals(schema)) {
      throw new MessageRejectedException(
          "stage event has unknown schema '" + schema + "' (this build reads " + SCHEMA + ")");
    }
    for (String field : new String[] {"run", "pair", "stage", "status", "at"}) {
      JsonFields.requiredText(body, field, WHAT);
    }
    if (JsonFields.integer(body, "attempt", WHAT) == null) {
      throw new MessageRejectedException("stage event has no 'attempt'");
    }
    try {
      return Json.MAPPER.treeToValue(body, StageEvent.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
        cause = cause.getCause();
      }
      throw new MessageRejectedException(
          "stage event is malformed: " + OneLine.of(cause.getMessage()), e);
    }
  }
}

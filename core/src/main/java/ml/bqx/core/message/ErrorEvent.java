package ml.bqx.core.message;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.bqx.core.json.Json;

/**
 * A message that could never be processed, reported on the events topic (attribute {@code
 * kind=error}) after it was acked: which function refused it, the one-line reason, and the bus's id
 * of the refused message.
 */
public record ErrorEvent(
    String schema, String function, Instant at, String reason, String messageId, String source) {
  public static final String SCHEMA = "bqx.error/1";
  public static final String KIND = "error";

  public static ErrorEvent of(
      String function, Instant at, String reason, String messageId, String source) {
    return new ErrorEvent(SCHEMA, function, at, reason, messageId, source);
  }

  public BusMessage toBusMessage() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(Attributes.KIND, KIND);
    return new BusMessage(Json.toBytes(this), attributes);
  }
}

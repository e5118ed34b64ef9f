package ml.bqx.core.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import ml.bqx.core.json.Json;
import ml.bqx.core.pair.InvalidPairException;
import ml.bqx.core.pair.Pair;

/**
 * "Build this pair's training file": what a person or the CLI publishes on the pairs topic. The run
 * is optional (a message without one joins the day's ad-hoc run); attempt defaults to 1.
 *
 * <p>Accepted shapes: the full JSON, a bare {@code {"pair":"gbpusd"}}, or an empty body with the
 * attribute {@code pair=gbpusd} (what {@code gcloud pubsub topics publish --attribute} sends).
 */
public record PairMessage(RunId run, Pair pair, int attempt) {
  public static final String SCHEMA = "bqx.pair/1";
  public static final String KIND = "pair";
  private static final String WHAT = "pair message";

  public PairMessage {
    Objects.requireNonNull(pair, "pair");
    if (attempt < 1) {
      throw new MessageRejectedException("attempt must be 1 or more, not " + attempt);
    }
  }

  public static PairMessage of(RunId run, Pair pair, int attempt) {
    return new PairMessage(run, pair, attempt);
  }

  /** The message's body and attributes as published. */
  public BusMessage toBusMessage() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("schema", SCHEMA);
    if (run != null) {
      body.put("run", run.value());
    }
    body.put("pair", pair.name());
    body.put("attempt", attempt);
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(Attributes.KIND, KIND);
    if (run != null) {
      attributes.put(Attributes.RUN, run.value());
    }
    attributes.put(Attributes.PAIR, pair.name());
    attributes.put(Attributes.ATTEMPT, Integer.toString(attempt));
    return new BusMessage(Json.toBytes(body), attributes);
  }

  /** Parses a delivered message, refusing anything malformed with a one-line reason. */
  public static PairMessage parse(BusMessage message) {
    Map<String, String> attributes = message.attributes();
    String pairText = attributes.get(Attributes.PAIR);
    String runText = attributes.get(Attributes.RUN);
    String attemptText = attributes.get(Attributes.ATTEMPT);
    byte[] data = message.data();
    if (data.length > 0 && !message.dataAsString().isBlank()) {
      ObjectNode body = JsonFields.object(data, WHAT);
      String schema = JsonFields.text(body, "schema", WHAT);
      if (schema != null && !schema.equals(SCHEMA)) {
        throw new MessageRejectedException(
            "pair message has unknown schema '" + schema + "' (this build reads " + SCHEMA + ")");
      }
      pairText = agree("pair", JsonFields.requiredText(body, "pair", WHAT), pairText);
      runText = agree("run", JsonFields.text(body, "run", WHAT), runText);
      Integer attempt = JsonFields.integer(body, "attempt", WHAT);
      attemptText =
          agree("attempt", attempt == null ? null : Integer.toString(attempt), attemptText);
    } else if (pairText == null || pairText.isBlank()) {
      throw new MessageRejectedException(
          "pair message is empty: send {\"pair\":\"eurusd\"} or the attribute pair=eurusd");
    }
    Pair pair;
    try {
      pair = Pair.parse(pairText);
    } catch (InvalidPairException e) {
      throw new MessageRejectedException(e.getMessage(), e);
    }
    RunId run = runText == null || runText.isBlank() ? null : RunId.of(runText);
    return new PairMessage(run, pair, parseAttempt(attemptText));
  }

  private static String agree(String field, String fromBody, String fromAttribute) {
    if (fromBody != null && fromAttribute != null && !fromBody.equals(fromAttribute)) {
      throw new MessageRejectedException(
          "pair message disagrees with itself: body "
              + field
              + "='"
              + fromBody
              + "' but attribute "
              + field
              + "='"
              + fromAttribute
              + "'");
    }
    return fromBody != null ? fromBody : fromAttribute;
  }

  private static int parseAttempt(String text) {
    if (text == null || text.isBlank()) {
      return 1;
    }
    if (!text.matches("\\d{1,6}")) {
      throw new MessageRejectedException("attempt must be a positive integer, not '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  /** This message in a run: the given one if the message named none. */
  public PairMessage inRun(RunId defaultRun) {
    return run != null ? this : new PairMessage(defaultRun, pair, attempt);
  }
}

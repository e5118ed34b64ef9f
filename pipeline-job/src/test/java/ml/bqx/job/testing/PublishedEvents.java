package ml.bqx.job.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;

/** Reads back what the job published on a {@code jsonl:} bus, parsed as a subscriber would. */
public final class PublishedEvents {
  private PublishedEvents() {}

  /** The stage events, parsed as the completion function parses them. */
  public static List<StageEvent> read(Path file) throws IOException {
    List<StageEvent> events = new ArrayList<>();
    for (BusMessage message : readMessages(file)) {
      if (StageEvent.KIND.equals(message.attribute("kind"))) {
        events.add(StageEvent.parse(message));
      }
    }
    return events;
  }

  /** Every message published, of any kind. */
  public static List<BusMessage> readMessages(Path file) throws IOException {
    List<BusMessage> messages = new ArrayList<>();
    if (!Files.exists(file)) {
      return messages;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode node = Json.MAPPER.readTree(line);
      Map<String, String> attributes =
          Json.MAPPER.convertValue(
              node.get("attributes"), new TypeReference<Map<String, String>>() {});
      messages.add(
          new BusMessage(node.get("data").asText().getBytes(StandardCharsets.UTF_8), attributes));
    }
    return messages;
  }

  /** The one event of this stage and status; fails if there is not exactly one. */
  public static StageEvent only(List<StageEvent> events, Stage stage, EventStatus status) {
    List<StageEvent> found =
        events.stream().filter(e -> e.stage() == stage && e.status() == status).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one "
              + stage
              + " "
              + status
              + " event, found "
              + found.size()
              + " in "
              + events);
    }
    return found.get(0);
  }
}

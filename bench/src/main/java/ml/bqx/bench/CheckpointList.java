package ml.bqx.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ml.bqx.core.json.Json;
import ml.bqx.job.extract.Checkpoint;

/** The prepared checkpoints (targets first), saved so a merge child reads no warehouse. */
final class CheckpointList {
  private CheckpointList() {}

  static void write(Path file, List<Checkpoint> checkpoints) throws IOException {
    List<Map<String, Object>> rows =
        checkpoints.stream()
            .map(
                c ->
                    Map.<String, Object>of(
                        "table", c.table(),
                        "uri", c.uri().toString(),
                        "columns", c.columns(),
                        "size", c.size()))
            .toList();
    Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(rows));
  }

  /** The targets' checkpoint and the first {@code features} feature checkpoints. */
  static List<Checkpoint> read(Path file, int features) throws IOException {
    List<Map<String, Object>> rows =
        Json.MAPPER.readValue(file.toFile(), new TypeReference<List<Map<String, Object>>>() {});
    if (features + 1 > rows.size()) {
      throw new IOException(
          "asked for " + features + " feature tables, " + file + " lists " + (rows.size() - 1));
    }
    return rows.subList(0, features + 1).stream()
        .map(
            r ->
                new Checkpoint(
                    (String) r.get("table"),
                    URI.create((String) r.get("uri")),
                    ((Number) r.get("columns")).intValue(),
                    ((Number) r.get("size")).longValue(),
                    true))
        .toList();
  }
}

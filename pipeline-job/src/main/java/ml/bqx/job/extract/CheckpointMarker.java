package ml.bqx.job.extract;

import java.io.IOException;
import java.util.List;
import ml.bqx.core.json.Json;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.TableSnapshot;

/**
 * Says a table's cached checkpoint is complete: written after the checkpoint, it records what the
 * checkpoint was made from (the table's snapshot, the spine, the columns, the row groups), what the
 * store reported for it (size, generation, CRC32C), and who made it when, so that a later attempt
 * or run reuses it only if all of that still holds.
 */
public record CheckpointMarker(
    String table,
    TableSnapshot snapshot,
    List<String> columns,
    String spineFingerprint,
    long rows,
    int rowGroups,
    int rowGroupRows,
    long sourceRows,
    long size,
    long generation,
    String crc32c,
    String run,
    int attempt,
    long extractedAtMillis) {
  public CheckpointMarker {
    columns = List.copyOf(columns);
  }

  public byte[] toJson() {
    return Json.toBytes(this);
  }

  public static CheckpointMarker parse(byte[] json) throws IOException {
    return Json.MAPPER.readValue(json, CheckpointMarker.class);
  }

  /** True when the stored checkpoint is the very object this marker describes. */
  public boolean describes(ObjectInfo checkpoint) {
    return checkpoint.size() == size
        && checkpoint.generation() == generation
        && crc32c.equals(checkpoint.crc32c());
  }
}

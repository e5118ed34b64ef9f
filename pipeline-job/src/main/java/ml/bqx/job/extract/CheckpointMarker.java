package ml.bqx.job.extract;

import java.io.IOException;
import java.util.List;
import ml.bqx.core.json.Json;
import ml.bqx.core.port.ObjectInfo;

/**
 * Says a table's checkpoint is complete: written after the checkpoint, it records what the store
 * reported for it (size, generation, CRC32C) and what it was aligned to, so a later attempt reuses
 * it only if all of that still holds.
 */
public record CheckpointMarker(
    String table,
    List<String> columns,
    String spineFingerprint,
    long rows,
    int rowGroups,
    long sourceRows,
    long size,
    long generation,
    String crc32c,
    int attempt) {
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
        && checkpoint.crc32c().equals(crc32c);
  }
}

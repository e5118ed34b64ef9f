package ml.bqx.job.validate;

import java.util.Map;

/** What a validated training file holds, read from its footer and the store. */
public record TrainingFileFacts(
    long bytes,
    String crc32c,
    long generation,
    long rows,
    int columns,
    int rowGroups,
    Map<String, String> metadata) {
  public TrainingFileFacts {
    metadata = Map.copyOf(metadata);
  }
}

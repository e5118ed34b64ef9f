package ml.bqx.trainingfile;

import java.util.List;
import java.util.Map;

/**
 * What a validated training file holds, read from its footer and the store.
 *
 * @param horizons target columns present (of the 7)
 * @param allNullColumns columns whose every value is null (from the footer's null counts)
 */
public record TrainingFileFacts(
    long bytes,
    String crc32c,
    long generation,
    long rows,
    int columns,
    int rowGroups,
    int horizons,
    List<String> allNullColumns,
    Map<String, String> metadata) {
  public TrainingFileFacts {
    allNullColumns = List.copyOf(allNullColumns);
    metadata = Map.copyOf(metadata);
  }
}

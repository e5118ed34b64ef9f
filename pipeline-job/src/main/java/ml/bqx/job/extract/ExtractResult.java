package ml.bqx.job.extract;

import java.util.List;

/**
 * What extraction produced: the plan it followed, the spine's size and the checkpoints in merge
 * order (the targets' first, then the feature tables by name).
 */
public record ExtractResult(
    ExtractPlan plan,
    int spineRows,
    String spineFingerprint,
    List<Checkpoint> checkpoints,
    long sourceRows) {
  public ExtractResult {
    checkpoints = List.copyOf(checkpoints);
  }

  public long reused() {
    return checkpoints.stream().filter(Checkpoint::reused).count();
  }

  /** The names of the tables whose checkpoint was reused (or, with false, extracted), in order. */
  public List<String> tables(boolean reused) {
    return checkpoints.stream().filter(c -> c.reused() == reused).map(Checkpoint::table).toList();
  }

  public long bytes() {
    return checkpoints.stream().mapToLong(Checkpoint::size).sum();
  }
}

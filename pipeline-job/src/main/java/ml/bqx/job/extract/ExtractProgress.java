package ml.bqx.job.extract;

/** Hears of each table as its checkpoint is written or reused. */
@FunctionalInterface
public interface ExtractProgress {
  /**
   * Called once per table, from the extracting thread.
   *
   * @param done tables finished so far, this one included
   */
  void tableDone(String table, boolean reused, int done, int total);
}

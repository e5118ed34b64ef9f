package ml.bqx.local.warehouse;

import ml.bqx.core.pair.Pair;

/** Hears of each table as it is seeded, so a long seeding can show progress. */
@FunctionalInterface
public interface SeedProgress {
  /** A progress listener that ignores everything. */
  SeedProgress NONE = (pair, table, done, total) -> {};

  /**
   * Called after each table.
   *
   * @param done tables seeded so far, across all pairs
   * @param total tables to seed, across all pairs
   */
  void tableSeeded(Pair pair, String table, int done, int total);
}

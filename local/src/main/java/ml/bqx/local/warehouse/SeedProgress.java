package ml.bqx.local.warehouse;

import java.util.Locale;
import java.util.function.Consumer;
import ml.bqx.core.pair.Pair;

/** Hears of each table as it is seeded, so a long seeding can show progress. */
@FunctionalInterface
public interface SeedProgress {
  /** A progress listener that ignores everything. */
  SeedProgress NONE = (pair, table, done, total) -> {};

  /**
   * Says {@code seeding DONE/TOTAL tables (PAIR)} once every tenth of the way, the first table and
   * the last included.
   */
  static SeedProgress everyTenth(Consumer<String> say) {
    int[] lastTenth = {-1};
    return (pair, table, done, total) -> {
      int tenth = done * 10 / total;
      if (tenth != lastTenth[0]) {
        lastTenth[0] = tenth;
        say.accept(String.format(Locale.ROOT, "seeding %d/%d tables (%s)", done, total, pair));
      }
    };
  }

  /**
   * Called after each table.
   *
   * @param done tables seeded so far, across all pairs
   * @param total tables to seed, across all pairs
   */
  void tableSeeded(Pair pair, String table, int done, int total);
}

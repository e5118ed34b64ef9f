package ml.bqx.local.warehouse;

import java.util.List;
import ml.bqx.core.pair.Pair;

/**
 * What to seed: for each pair a targets table of {@code rows} rows and {@code tables} feature
 * tables of {@code columns} FLOAT64 columns each; {@code seed} makes every value reproducible.
 */
public record SeedSpec(List<Pair> pairs, int tables, int rows, int columns, long seed) {
  public SeedSpec {
    pairs = List.copyOf(pairs);
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("seed at least one pair");
    }
    if (tables < 1 || rows < 1 || columns < 1) {
      throw new IllegalArgumentException(
          "tables, rows and columns must be 1 or more (got tables="
              + tables
              + ", rows="
              + rows
              + ", columns="
              + columns
              + ")");
    }
  }

  /** A preset's sizes for these pairs. */
  public static SeedSpec of(SeedScale scale, List<Pair> pairs, long seed) {
    return new SeedSpec(pairs, scale.tables(), scale.rows(), scale.columns(), seed);
  }

  /** Feature columns per pair, the targets excluded. */
  public long featureColumnsPerPair() {
    return (long) tables * columns;
  }
}

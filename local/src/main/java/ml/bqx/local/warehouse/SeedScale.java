package ml.bqx.local.warehouse;

import java.util.Locale;

/** Preset sizes of a seeded warehouse: feature tables per pair, rows, columns per table. */
public enum SeedScale {
  /** A few tables: unit and end-to-end tests. */
  TINY(6, 480, 3),
  /** A quick local run. */
  SMALL(40, 5_000, 8),
  /** The guide's scale: 668 feature tables, 100,800 rows, 10,688 feature columns per pair. */
  SEED(668, 100_800, 16);

  private final int tables;
  private final int rows;
  private final int columns;

  SeedScale(int tables, int rows, int columns) {
    this.tables = tables;
    this.rows = rows;
    this.columns = columns;
  }

  public int tables() {
    return tables;
  }

  public int rows() {
    return rows;
  }

  public int columns() {
    return columns;
  }

  /** Parses {@code tiny|small|seed}, refusing anything else with the choices. */
  public static SeedScale parse(String text) {
    for (SeedScale scale : values()) {
      if (scale.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return scale;
      }
    }
    throw new IllegalArgumentException(
        "unknown scale '" + text + "': use tiny, small or seed".toLowerCase(Locale.ROOT));
  }
}

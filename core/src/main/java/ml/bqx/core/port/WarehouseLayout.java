package ml.bqx.core.port;

import java.util.List;
import ml.bqx.core.pair.Pair;

/**
 * The naming convention of the features dataset, shared by every warehouse adapter, the seeder and
 * the job: tables {@code <family>_w<window>_<pair>} keyed by {@code interval_time}, and one table
 * {@code targets_<pair>} holding the 7 horizons.
 */
public final class WarehouseLayout {
  /** The dataset (BigQuery) or schema (DuckDB) of the feature tables. */
  public static final String DATASET = "bqx_ml_v3_features_v2";

  /** The key column of every table. */
  public static final String KEY = "interval_time";

  /** The 7 target columns of a targets table, in output order. */
  public static final List<String> HORIZONS =
      List.of(
          "target_h15",
          "target_h30",
          "target_h45",
          "target_h60",
          "target_h75",
          "target_h90",
          "target_h105");

  private WarehouseLayout() {}

  /** The name of the pair's targets table. */
  public static String targetsTable(Pair pair) {
    return "targets_" + pair.name();
  }

  /**
   * The SQL LIKE pattern of the pair's table names (every name ending in {@code _<pair>}), for
   * every warehouse adapter: the underscore is escaped with a backslash, since LIKE reads it as any
   * character. BigQuery's LIKE takes the backslash as its escape; DuckDB needs {@code ESCAPE '\'}.
   */
  public static String tableNamePattern(Pair pair) {
    return "%\\_" + pair.name();
  }
}

package ml.bqx.core.port;

import java.util.Locale;
import java.util.Set;

/**
 * A column and its warehouse type name as INFORMATION_SCHEMA.COLUMNS spells it (e.g. FLOAT64,
 * TIMESTAMP, or a parameterized {@code NUMERIC(10, 2)}).
 */
public record WarehouseColumn(String name, String type) {
  /**
   * Types whose values the job turns into doubles. NUMERIC and BIGNUMERIC come through the Storage
   * Read API as Arrow Decimal128(38, 9) and Decimal256(76, 38): their range fits a double, which
   * keeps about 16 significant digits, the precision of every other feature.
   */
  private static final Set<String> NUMERIC =
      Set.of("FLOAT64", "FLOAT", "INT64", "INTEGER", "NUMERIC", "BIGNUMERIC");

  /** The type without its parameters: {@code NUMERIC(10, 2)} is {@code NUMERIC}. */
  private String baseType() {
    int open = type.indexOf('(');
    return (open < 0 ? type : type.substring(0, open)).trim().toUpperCase(Locale.ROOT);
  }

  /** True if the job can convert this column's values to doubles. */
  public boolean isNumeric() {
    return NUMERIC.contains(baseType());
  }

  /**
   * Bytes one value of this column counts for, by BigQuery's data size calculation (what its {@code
   * __TABLES__.size_bytes} sums and the Storage Read API bills): 8 for INT64, FLOAT64, TIMESTAMP,
   * DATE, DATETIME and TIME, 16 for NUMERIC, 32 for BIGNUMERIC, 1 for BOOL, 2 plus the length for
   * STRING (counted as 2 here: the length is not known before reading).
   * cloud.google.com/bigquery/pricing#data_size_calculation.
   */
  public int logicalBytes() {
    return switch (baseType()) {
      case "NUMERIC" -> 16;
      case "BIGNUMERIC" -> 32;
      case "BOOL", "BOOLEAN" -> 1;
      case "STRING" -> 2;
      default -> 8;
    };
  }
}

package ml.bqx.job.extract;

import java.util.BitSet;
import java.util.List;

/**
 * One table aligned to the spine: row {@code i} of every column belongs to spine row {@code i}; a
 * set bit in {@code nulls} marks a missing value (no row for that key, or a null cell).
 */
public record AlignedTable(
    String name, List<String> columns, double[][] values, BitSet[] nulls, long sourceRows) {
  public AlignedTable {
    columns = List.copyOf(columns);
  }

  public int rows() {
    return values.length == 0 ? 0 : values[0].length;
  }
}

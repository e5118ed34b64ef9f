package ml.bqx.job.extract;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import ml.bqx.core.port.WarehouseLayout;
import ml.bqx.job.stage.JobFailure;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Reads a table's Arrow batches and aligns them to the spine with left-join semantics: keys the
 * spine lacks are dropped, spine rows the table lacks stay null, a key seen twice is an error.
 */
public final class TableAligner {
  private TableAligner() {}

  /** Reads every key of a table (the targets), refusing nulls. */
  public static long[] readKeys(String table, ArrowReader reader) throws IOException {
    long[] keys = new long[1024];
    int n = 0;
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    while (reader.loadNextBatch()) {
      TimeStampVector key = keyVector(table, root);
      long scale = microsPerUnit(table, key);
      for (int i = 0; i < root.getRowCount(); i++) {
        if (n == keys.length) {
          keys = Arrays.copyOf(keys, n * 2);
        }
        keys[n++] = key(table, key, i, scale);
      }
    }
    return Arrays.copyOf(keys, n);
  }

  /** Aligns the named columns of a table to the spine. */
  public static AlignedTable align(
      String table,
      List<String> sourceColumns,
      List<String> outputColumns,
      Spine spine,
      ArrowReader reader)
      throws IOException {
    int columns = sourceColumns.size();
    double[][] values = new double[columns][spine.size()];
    BitSet[] nulls = new BitSet[columns];
    for (int c = 0; c < columns; c++) {
      nulls[c] = new BitSet(spine.size());
      nulls[c].set(0, spine.size());
    }
    BitSet seen = new BitSet(spine.size());
    long sourceRows = 0;
    VectorSchemaRoot root = reader.getVectorSchemaRoot();
    List<FieldVector> vectors = new ArrayList<>();
    while (reader.loadNextBatch()) {
      TimeStampVector key = keyVector(table, root);
      long scale = microsPerUnit(table, key);
      vectors.clear();
      for (String name : sourceColumns) {
        FieldVector vector = root.getVector(name);
        if (vector == null) {
          throw JobFailure.badInput("table " + table + " came without its column " + name);
        }
        vectors.add(vector);
      }
      int batch = root.getRowCount();
      sourceRows += batch;
      for (int i = 0; i < batch; i++) {
        long micros = key(table, key, i, scale);
        int row = spine.rowOf(micros);
        if (row < 0) {
          continue; // left join: a key outside the spine has no output row
        }
        if (seen.get(row)) {
          throw JobFailure.badInput(
              "duplicate keys in table "
                  + table
                  + ": interval_time "
                  + Spine.instant(micros)
                  + " appears more than once");
        }
        seen.set(row);
        for (int c = 0; c < columns; c++) {
          FieldVector vector = vectors.get(c);
          if (!vector.isNull(i)) {
            values[c][row] = number(table, vector, i);
            nulls[c].clear(row);
          }
        }
      }
    }
    return new AlignedTable(table, outputColumns, values, nulls, sourceRows);
  }

  private static TimeStampVector keyVector(String table, VectorSchemaRoot root) {
    FieldVector vector = root.getVector(WarehouseLayout.KEY);
    if (vector == null) {
      throw JobFailure.badInput("table " + table + " has no " + WarehouseLayout.KEY + " column");
    }
    if (!(vector instanceof TimeStampVector timestamps)) {
      throw JobFailure.badInput(
          "table "
              + table
              + " has "
              + WarehouseLayout.KEY
              + " of Arrow type "
              + vector.getField().getType()
              + ", expected a timestamp");
    }
    return timestamps;
  }

  private static long microsPerUnit(String table, TimeStampVector key) {
    ArrowType.Timestamp type = (ArrowType.Timestamp) key.getField().getType();
    return switch (type.getUnit()) {
      case SECOND -> 1_000_000L;
      case MILLISECOND -> 1_000L;
      case MICROSECOND -> 1L;
      case NANOSECOND -> -1_000L; // negative: divide
    };
  }

  private static long key(String table, TimeStampVector key, int i, long scale) {
    if (key.isNull(i)) {
      throw JobFailure.badInput("table " + table + " has a row with a null " + WarehouseLayout.KEY);
    }
    long raw = key.get(i);
    return scale > 0 ? raw * scale : Math.floorDiv(raw, -scale);
  }

  private static double number(String table, FieldVector vector, int i) {
    if (vector instanceof FloatingPointVector floating) {
      return floating.getValueAsDouble(i);
    }
    if (vector instanceof BigIntVector longs) {
      return longs.get(i);
    }
    if (vector instanceof IntVector ints) {
      return ints.get(i);
    }
    // NUMERIC and BIGNUMERIC (and DuckDB's DECIMAL): rounded to the nearest double.
    if (vector instanceof DecimalVector decimals) {
      return decimals.getObject(i).doubleValue();
    }
    if (vector instanceof Decimal256Vector decimals) {
      return decimals.getObject(i).doubleValue();
    }
    throw JobFailure.badInput(
        "column "
            + vector.getName()
            + " of table "
            + table
            + " has Arrow type "
            + vector.getField().getType()
            + ": only numeric features are supported");
  }
}

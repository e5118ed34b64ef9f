package ml.bqx.core.port;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a warehouse says of a table's current state, cheap to ask before reading it: a table whose
 * snapshot is unchanged since its last extraction need not be read again.
 *
 * @param modified when the table last changed, as the warehouse tells it: BigQuery's {@code
 *     lastModifiedTime} (milliseconds since the epoch); DuckDB keeps no such time, so there a
 *     digest of the table's rows, which changes whenever a row does
 * @param rows the table's row count
 * @param schemaHash a digest of the columns' names and types, in table order
 */
public record TableSnapshot(String modified, long rows, String schemaHash) {
  /** The digest of columns' names and types, in order, as every adapter computes it. */
  public static String schemaHash(List<WarehouseColumn> columns) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (WarehouseColumn column : columns) {
        digest.update(
            (column.name() + "\u0000" + column.type() + "\u0001").getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

package ml.bqx.job.extract;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The sorted, unique {@code interval_time} values (microseconds since the epoch, UTC) of the
 * targets table: one output row each.
 */
public final class Spine {
  private final long[] keys;

  private Spine(long[] keys) {
    this.keys = keys;
  }

  /** The spine of the targets' keys; refuses duplicates, naming one. */
  public static Spine of(String table, long[] keys) {
    long[] sorted = keys.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw ml.bqx.job.stage.JobFailure.badInput(
            "duplicate keys in table "
                + table
                + ": interval_time "
                + instant(sorted[i])
                + " appears more than once");
      }
    }
    return new Spine(sorted);
  }

  public int size() {
    return keys.length;
  }

  public long key(int row) {
    return keys[row];
  }

  /** The spine row of a key, or a negative number when the spine has no such key. */
  public int rowOf(long key) {
    return Arrays.binarySearch(keys, key);
  }

  /** A digest of every key: checkpoints aligned to another spine are not reused. */
  public String fingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ByteBuffer buffer = ByteBuffer.allocate(8);
      for (long key : keys) {
        buffer.clear();
        digest.update(buffer.putLong(key).array());
      }
      return HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000);
  }
}

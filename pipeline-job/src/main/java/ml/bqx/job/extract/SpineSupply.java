package ml.bqx.job.extract;

import java.io.IOException;
import ml.bqx.job.stage.JobFailure;

/**
 * The spine as extraction needs it: its fingerprint and size at once, its keys only when a table
 * must be aligned. When the targets' checkpoint is reused, the keys are read from the warehouse on
 * first need, and must be the cached checkpoint's.
 */
final class SpineSupply {
  /** Reads the targets' keys. */
  @FunctionalInterface
  interface KeyReader {
    Spine read() throws IOException;
  }

  private final String table;
  private final String fingerprint;
  private final int rows;
  private final KeyReader reader;
  private Spine spine;

  private SpineSupply(String table, String fingerprint, int rows, KeyReader reader, Spine spine) {
    this.table = table;
    this.fingerprint = fingerprint;
    this.rows = rows;
    this.reader = reader;
    this.spine = spine;
  }

  static SpineSupply of(String table, Spine spine) {
    return new SpineSupply(table, spine.fingerprint(), spine.size(), null, spine);
  }

  /** The spine of a reused targets checkpoint, whose keys are read only if needed. */
  static SpineSupply cached(String table, String fingerprint, int rows, KeyReader reader) {
    return new SpineSupply(table, fingerprint, rows, reader, null);
  }

  String fingerprint() {
    return fingerprint;
  }

  int rows() {
    return rows;
  }

  synchronized Spine keys() throws IOException {
    if (spine == null) {
      Spine read = reader.read();
      if (!read.fingerprint().equals(fingerprint)) {
        throw new JobFailure(
            "targets table "
                + table
                + " changed during extraction: its keys are no longer its cached checkpoint's",
            true);
      }
      spine = read;
    }
    return spine;
  }
}

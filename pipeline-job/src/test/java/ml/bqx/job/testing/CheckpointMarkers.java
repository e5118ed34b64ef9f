package ml.bqx.job.testing;

import ml.bqx.core.port.ObjectInfo;
import ml.bqx.job.extract.CheckpointMarker;

/** Markers a test rewrites in the cache: describing another object, or made at another time. */
public final class CheckpointMarkers {
  private CheckpointMarkers() {}

  /** The marker, describing this stored object instead. */
  public static CheckpointMarker describing(CheckpointMarker m, ObjectInfo stored) {
    return copy(m, stored.size(), stored.generation(), stored.crc32c(), m.extractedAtMillis());
  }

  /** The marker, as if its checkpoint had been extracted at this time. */
  public static CheckpointMarker extractedAt(CheckpointMarker m, long millis) {
    return copy(m, m.size(), m.generation(), m.crc32c(), millis);
  }

  private static CheckpointMarker copy(
      CheckpointMarker m, long size, long generation, String crc32c, long extractedAtMillis) {
    return new CheckpointMarker(
        m.table(),
        m.snapshot(),
        m.columns(),
        m.spineFingerprint(),
        m.rows(),
        m.rowGroups(),
        m.rowGroupRows(),
        m.sourceRows(),
        size,
        generation,
        crc32c,
        m.run(),
        m.attempt(),
        extractedAtMillis);
  }
}

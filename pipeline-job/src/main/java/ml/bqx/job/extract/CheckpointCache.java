package ml.bqx.job.extract;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.zip.CRC32C;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.port.Crc32c;
import ml.bqx.core.port.DamagedObjectException;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.core.port.StoredObject;
import ml.bqx.core.port.TableSnapshot;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.job.stage.JobPaths;

/**
 * A pair's checkpoint cache in the staging store, outliving runs: each table's checkpoints are
 * named by what they were made from, so a table whose snapshot, spine, columns and row groups are
 * those of a cached checkpoint is not read again. A cached checkpoint is reused only after it is
 * verified (its marker, the store's size, generation and CRC32C, and the CRC32C of its bytes where
 * the store's generation does not fix them, as a folder's does not), and only for {@code reuseFor}
 * after its extraction: the staging bucket's lifecycle rule deletes the cache a day after that,
 * never under a run still using it.
 */
public final class CheckpointCache {
  /** What a targets table's entry is aligned to: the spine is made from it. */
  static final String OWN_SPINE = "own-spine";

  private static final Logger LOG = Logger.getLogger(CheckpointCache.class.getName());
  private static final int READ_BUFFER = 1 << 20;

  private final ObjectStore staging;
  private final JobPaths paths;
  private final int rowGroupRows;
  private final Duration reuseFor;
  private final Clock clock;

  public CheckpointCache(
      ObjectStore staging, JobPaths paths, int rowGroupRows, Duration reuseFor, Clock clock) {
    this.staging = staging;
    this.paths = paths;
    this.rowGroupRows = rowGroupRows;
    this.reuseFor = reuseFor;
    this.clock = clock;
  }

  public int rowGroupRows() {
    return rowGroupRows;
  }

  /**
   * The entry name of a checkpoint made from these: a digest of the table's snapshot, the columns,
   * what it is aligned to (a spine's fingerprint, or {@link #OWN_SPINE}) and the row groups.
   */
  String entry(String table, TableSnapshot snapshot, List<String> columns, String alignedTo) {
    StringBuilder key =
        new StringBuilder()
            .append(table)
            .append('\n')
            .append(snapshot.modified())
            .append('\n')
            .append(snapshot.rows())
            .append('\n')
            .append(snapshot.schemaHash())
            .append('\n')
            .append(alignedTo)
            .append('\n')
            .append(rowGroupRows);
    columns.forEach(column -> key.append('\n').append(column));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(key.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  URI checkpoint(String table, String entry) {
    return StoreLayout.cachedCheckpoint(paths.staging(), paths.pair(), table, entry);
  }

  /**
   * The entry's marker when its checkpoint can be reused: complete, young enough and verified. A
   * checkpoint that fails verification is deleted with its marker (a damaged object is never
   * written over), so the caller extracts the table again.
   */
  Optional<CheckpointMarker> reusable(String table, String entry) throws IOException {
    URI markerUri = StoreLayout.cachedMarker(paths.staging(), paths.pair(), table, entry);
    URI checkpointUri = checkpoint(table, entry);
    Optional<StoredObject> stored;
    try {
      stored = staging.read(markerUri);
    } catch (DamagedObjectException e) {
      return discard(table, markerUri, checkpointUri, e.getMessage());
    }
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    CheckpointMarker marker;
    try {
      marker = CheckpointMarker.parse(stored.get().content());
    } catch (IOException e) {
      return discard(
          table, markerUri, checkpointUri, "its marker is unreadable: " + e.getMessage());
    }
    Duration age = Duration.ofMillis(clock.millis() - marker.extractedAtMillis());
    if (age.compareTo(reuseFor) >= 0) {
      LOG.info(
          "not reusing the checkpoint of "
              + table
              + ": extracted "
              + age.toDays()
              + " days ago, kept for "
              + reuseFor.toDays());
      return Optional.empty();
    }
    Optional<String> damage = damage(checkpointUri, marker);
    if (damage.isPresent()) {
      return discard(table, markerUri, checkpointUri, damage.get());
    }
    return Optional.of(marker);
  }

  /**
   * Why the checkpoint cannot be trusted, if it cannot: checked against what the store records, and
   * its bytes read back against their CRC32C unless the store's generation fixes them.
   */
  private Optional<String> damage(URI checkpoint, CheckpointMarker marker) throws IOException {
    Optional<ObjectInfo> stat;
    try {
      stat = staging.stat(checkpoint);
    } catch (DamagedObjectException e) {
      return Optional.of(e.getMessage());
    }
    if (stat.isEmpty()) {
      return Optional.of("its checkpoint is gone");
    }
    if (!marker.describes(stat.get())) {
      return Optional.of(
          "the store has "
              + stat.get().size()
              + " bytes, generation "
              + stat.get().generation()
              + ", CRC32C "
              + stat.get().crc32c()
              + "; its marker recorded "
              + marker.size()
              + ", "
              + marker.generation()
              + ", "
              + marker.crc32c());
    }
    if (staging.generationFixesContent()) {
      // On GCS the matching generation is proof enough: reading every reused checkpoint back
      // would cost a pair's whole cache in reads (about 7 GB at the seed's scale) on each run.
      return Optional.empty();
    }
    String read;
    try {
      read = crc32cOfContent(checkpoint);
    } catch (DamagedObjectException e) {
      return Optional.of(e.getMessage());
    }
    if (!read.equals(stat.get().crc32c())) {
      return Optional.of(
          "its bytes have CRC32C " + read + ", the store recorded " + stat.get().crc32c());
    }
    return Optional.empty();
  }

  private String crc32cOfContent(URI uri) throws IOException {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[READ_BUFFER];
    try (InputStream in = staging.open(uri)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        crc.update(buffer, 0, n);
      }
    }
    return Crc32c.toBase64(crc.getValue());
  }

  private Optional<CheckpointMarker> discard(String table, URI marker, URI checkpoint, String why)
      throws IOException {
    LOG.warning("extracting " + table + " again: its cached checkpoint is damaged: " + why);
    staging.delete(marker);
    staging.delete(checkpoint);
    return Optional.empty();
  }

  /** Streams a new checkpoint into the cache. */
  ObjectUpload upload(URI checkpoint) throws IOException {
    return staging.upload(checkpoint);
  }

  /** Records a checkpoint just written: its marker, after it. */
  CheckpointMarker record(
      String table,
      String entry,
      TableSnapshot snapshot,
      AlignedTable aligned,
      String spineFingerprint,
      int rowGroups,
      ObjectInfo written)
      throws IOException {
    CheckpointMarker marker =
        new CheckpointMarker(
            table,
            snapshot,
            aligned.columns(),
            spineFingerprint,
            aligned.rows(),
            rowGroups,
            rowGroupRows,
            aligned.sourceRows(),
            written.size(),
            written.generation(),
            written.crc32c(),
            paths.run().value(),
            paths.attempt(),
            clock.millis());
    staging.write(
        StoreLayout.cachedMarker(paths.staging(), paths.pair(), table, entry),
        marker.toJson(),
        WritePrecondition.none());
    return marker;
  }

  /**
   * Deletes every cached object of the pair but these checkpoints and their markers: what a dropped
   * table or an older snapshot left. Run after the pair's output is published.
   *
   * @return objects deleted
   */
  public int keepOnly(Set<URI> checkpoints) throws IOException {
    Set<URI> kept = new HashSet<>(checkpoints);
    checkpoints.forEach(checkpoint -> kept.add(StoreLayout.markerOf(checkpoint)));
    int deleted = 0;
    for (ObjectInfo object : staging.list(StoreLayout.pairCache(paths.staging(), paths.pair()))) {
      if (!kept.contains(object.uri()) && staging.delete(object.uri())) {
        deleted++;
      }
    }
    return deleted;
  }
}

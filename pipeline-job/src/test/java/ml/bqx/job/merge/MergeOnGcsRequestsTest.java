package ml.bqx.job.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.gcp.storage.GcsObjectStore;
import ml.bqx.job.extract.AlignedTable;
import ml.bqx.job.extract.Checkpoint;
import ml.bqx.job.extract.CheckpointWriter;
import ml.bqx.job.extract.Spine;
import ml.bqx.local.store.FolderObjectStore;
import ml.bqx.trainingfile.io.UploadOutputFile;
import ml.bqx.wire.gcs.FakeGcsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge's requests on GCS, counted by the loopback fake of the GCS JSON API (every HTTP request
 * the real client sends): each checkpoint's footer is read once, each of its row groups in one
 * ranged read, and nothing asks for an object's metadata. The file it writes is the file the merge
 * writes from a local folder, byte for byte.
 */
class MergeOnGcsRequestsTest {
  private static final int TABLES = 6;
  private static final int ROWS = 3_000;
  private static final int ROW_GROUP_ROWS = 1_000;
  private static final int COLUMNS = 12;

  @TempDir Path dir;
  private final FakeGcsServer gcs = new FakeGcsServer("staging", () -> Instant.EPOCH);

  MergeOnGcsRequestsTest() throws IOException {}

  @AfterEach
  void stop() {
    gcs.close();
  }

  @Test
  void merge_onGcs_readsEachCheckpointsFooterOnce_andEachRowGroupInOneRequest() throws IOException {
    FolderObjectStore local = new FolderObjectStore();
    List<Checkpoint> onDisk = new ArrayList<>();
    List<Checkpoint> onGcs = new ArrayList<>();
    for (int t = 0; t < TABLES; t++) {
      URI uri = dir.resolve("checkpoints/t" + t + ".parquet").toUri();
      long size = writeCheckpoint(local, uri, t);
      onDisk.add(new Checkpoint("t" + t, uri, COLUMNS, size, false));
      String key = "run/eurusd/checkpoints/t" + t + ".parquet";
      gcs.put(key, Files.readAllBytes(Path.of(uri)));
      onGcs.add(new Checkpoint("t" + t, URI.create("gs://staging/" + key), COLUMNS, size, false));
    }
    Map<String, String> metadata = Map.of("bqx.run", "r1");

    MergeResult fromDisk = merge(local, onDisk, local, dir.resolve("from-disk.parquet"), metadata);
    MergeResult fromGcs =
        merge(
            new GcsObjectStore(gcs.client()),
            onGcs,
            local,
            dir.resolve("from-gcs.parquet"),
            metadata);

    assertThat(fromGcs.rowGroups()).isEqualTo(ROWS / ROW_GROUP_ROWS);
    assertThat(Files.readAllBytes(dir.resolve("from-gcs.parquet")))
        .isEqualTo(Files.readAllBytes(dir.resolve("from-disk.parquet")));
    assertThat(fromGcs.columns()).isEqualTo(fromDisk.columns()).isEqualTo(TABLES * COLUMNS + 1);
    List<String> requests = gcs.requestsSoFar();
    assertThat(requests).as("metadata requests").noneMatch(r -> !r.contains("alt=media"));
    int groups = fromGcs.rowGroups();
    for (Checkpoint checkpoint : onGcs) {
      String name = checkpoint.uri().getPath().substring(1).replace("/", "%2F");
      long count = requests.stream().filter(r -> r.contains(name)).count();
      // The footer (and the page indexes before it) once, then one span per row group.
      assertThat(count).as(checkpoint.table()).isEqualTo(groups + 1L);
      assertThat(count).isLessThanOrEqualTo(2L * groups);
    }
  }

  private static MergeResult merge(
      ObjectStore source,
      List<Checkpoint> checkpoints,
      FolderObjectStore target,
      Path out,
      Map<String, String> metadata)
      throws IOException {
    try (ObjectUpload upload = target.upload(out.toUri())) {
      return new ColumnChunkStitcher(source, unreadable -> {}).merge(checkpoints, upload, metadata);
    }
  }

  /** A checkpoint as the extract stage writes it; the first carries the key. */
  private static long writeCheckpoint(FolderObjectStore store, URI uri, int table)
      throws IOException {
    Random random = new Random(table);
    List<String> columns = new ArrayList<>();
    double[][] values = new double[COLUMNS][ROWS];
    BitSet[] nulls = new BitSet[COLUMNS];
    for (int c = 0; c < COLUMNS; c++) {
      columns.add("t" + table + "_c" + c);
      nulls[c] = new BitSet(ROWS);
      for (int r = 0; r < ROWS; r++) {
        values[c][r] = random.nextDouble();
        if (random.nextInt(20) == 0) {
          nulls[c].set(r);
        }
      }
    }
    long[] keys = new long[ROWS];
    for (int r = 0; r < ROWS; r++) {
      keys[r] = 1_700_000_000_000_000L + r * 900_000_000L;
    }
    Spine spine = table == 0 ? Spine.of("t0", keys) : null;
    try (ObjectUpload upload = store.upload(uri)) {
      CheckpointWriter.write(
          new UploadOutputFile(upload, uri.toString()),
          new AlignedTable("t" + table, columns, values, nulls, ROWS),
          spine,
          ROW_GROUP_ROWS);
      return upload.finish().size();
    }
  }
}

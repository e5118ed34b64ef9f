package ml.bqx.bench.cloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import ml.bqx.job.extract.Checkpoint;
import ml.bqx.wire.gcs.FakeGcsServer;
import ml.bqx.wire.link.WireLink;

/**
 * The fake GCS the merge on GCS runs against, served from the bench's own process: the merge's
 * child then holds only the merge (its memory is the merge's, as on Cloud Run, where GCS is not in
 * the job's container), and this side counts the requests. The checkpoints are put in place once
 * (setup, no link time); every merge writes {@link #OUTPUT} again.
 */
public final class MergeOnWire implements AutoCloseable {
  static final String OUTPUT = "merged.parquet";

  private final FakeGcsServer gcs;
  private final Path objects;

  public MergeOnWire(CloudProfile profile, List<Checkpoint> local, Path objects)
      throws IOException {
    this.objects = objects;
    gcs =
        new FakeGcsServer(
            GoogleOnLoopback.BUCKET,
            Instant::now,
            WireLink.of(profile.gcsLatencyMs(), profile.gcsMbpsPerStream()),
            objects);
    for (Checkpoint checkpoint : local) {
      gcs.put(name(checkpoint), Files.readAllBytes(Path.of(checkpoint.uri())));
    }
  }

  /** Where a checkpoint lies on the fake GCS. */
  static String name(Checkpoint checkpoint) {
    return "checkpoints/" + checkpoint.table() + ".parquet";
  }

  /** For the child: {@code gcsUrl}. */
  public String url() {
    return gcs.url();
  }

  /** Requests so far. */
  public long requests() {
    return gcs.link().requests();
  }

  /** Bytes either way so far. */
  public long bytes() {
    return gcs.link().bytes();
  }

  @Override
  public void close() {
    gcs.close();
    GoogleOnLoopback.deleteTree(objects);
  }
}

package ml.bqx.bench.cloud;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.ObjectUpload;
import ml.bqx.job.extract.Checkpoint;
import ml.bqx.job.merge.ColumnChunkStitcher;
import ml.bqx.job.merge.MergeResult;

/** The job's merge of these checkpoints into {@code target} on one store, timed: local or GCS. */
public final class MergeTiming {
  private MergeTiming() {}

  /** Seconds, bytes, columns and rows of the merge (a checkpoint that cannot be read fails it). */
  public static Map<String, Double> run(ObjectStore store, List<Checkpoint> checkpoints, URI target)
      throws IOException {
    ColumnChunkStitcher stitcher =
        new ColumnChunkStitcher(
            store,
            checkpoint -> {
              throw new IllegalStateException("unreadable checkpoint " + checkpoint.uri());
            });
    long started = System.nanoTime();
    MergeResult result;
    try (ObjectUpload upload = store.upload(target)) {
      result = stitcher.merge(checkpoints, upload, Map.of("bqx.bench", "merge"));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("seconds", seconds);
    figures.put("bytes", (double) result.object().size());
    figures.put("inputBytes", (double) checkpoints.stream().mapToLong(Checkpoint::size).sum());
    figures.put("columns", (double) result.columns());
    figures.put("rows", (double) result.rows());
    return figures;
  }
}

package ml.bqx.job.testing;

import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.job.stage.JobPaths;

/**
 * The tables of a pair whose checkpoint marker the staging store has committed: what the next
 * attempt reuses. Listed through the store, never from raw files: a marker's content can be on disk
 * before the store has committed it (a process killed in that gap leaves no marker).
 */
public final class CommittedCheckpoints {
  private static final String MARKER = ".done.json";

  private CommittedCheckpoints() {}

  public static Set<String> of(ObjectStore staging, URI stagingUri, RunId run, Pair pair)
      throws IOException {
    URI folder = new JobPaths(stagingUri, stagingUri, run, pair, 1).checkpoints();
    Set<String> tables = new TreeSet<>();
    for (ObjectInfo object : staging.list(folder)) {
      String path = object.uri().getPath();
      String name = path.substring(path.lastIndexOf('/') + 1);
      if (name.endsWith(MARKER)) {
        tables.add(name.substring(0, name.length() - MARKER.length()));
      }
    }
    return tables;
  }
}

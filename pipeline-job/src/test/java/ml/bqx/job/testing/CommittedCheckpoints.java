package ml.bqx.job.testing;

import java.io.IOException;
import java.net.URI;
import java.util.Set;
import java.util.TreeSet;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;

/**
 * The tables of a pair whose checkpoint marker the staging store has committed in the pair's
 * checkpoint cache: what the next attempt reuses. Listed through the store, never from raw files: a
 * marker's content can be on disk before the store has committed it (a process killed in that gap
 * leaves no marker).
 */
public final class CommittedCheckpoints {
  private CommittedCheckpoints() {}

  public static Set<String> of(ObjectStore staging, URI stagingUri, Pair pair) throws IOException {
    Set<String> tables = new TreeSet<>();
    for (ObjectInfo object : staging.list(StoreLayout.pairCache(stagingUri, pair))) {
      String[] path = object.uri().getPath().split("/");
      if (path[path.length - 1].endsWith(StoreLayout.MARKER_SUFFIX)) {
        tables.add(path[path.length - 2]); // cache/pairs/PAIR/TABLE/ENTRY.done.json
      }
    }
    return tables;
  }
}

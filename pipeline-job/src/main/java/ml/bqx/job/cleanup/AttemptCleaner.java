package ml.bqx.job.cleanup;

import java.io.IOException;
import java.net.URI;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;

/** Deletes the pair's checkpoints, their markers and the staging file. */
public final class AttemptCleaner {
  private final ObjectStore store;

  public AttemptCleaner(ObjectStore store) {
    this.store = store;
  }

  /**
   * Deletes everything under the checkpoint folder and the staging file; returns objects deleted.
   */
  public int clean(URI checkpoints, URI stagingFile) throws IOException {
    int deleted = 0;
    for (ObjectInfo object : store.list(checkpoints)) {
      if (store.delete(object.uri())) {
        deleted++;
      }
    }
    if (store.delete(stagingFile)) {
      deleted++;
    }
    return deleted;
  }
}

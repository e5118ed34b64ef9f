package ml.bqx.job.stage;

import java.net.URI;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;

/** Where one attempt of one pair keeps its objects in the staging and output stores. */
public record JobPaths(URI staging, URI output, RunId run, Pair pair, int attempt) {
  /** Everything the pair stages in this run, every attempt's: gone once its file is published. */
  public URI pairFolder() {
    return StoreLayout.pairFolder(staging, run, pair);
  }

  /** The pair's checkpoint cache, shared by every attempt of every run. */
  public URI checkpointCache() {
    return StoreLayout.pairCache(staging, pair);
  }

  /** This attempt's merged file, before it is validated and published. */
  public URI stagingFile() {
    return StoreLayout.stagingFile(staging, run, pair, attempt);
  }

  /** The published training file. */
  public URI trainingFile() {
    return StoreLayout.trainingFile(output, pair);
  }
}

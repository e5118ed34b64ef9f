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

  /** The folder of the pair's checkpoints (shared by every attempt of the run, for resume). */
  public URI checkpoints() {
    return StoreLayout.checkpoints(staging, run, pair);
  }

  /** The checkpoint of one table. */
  public URI checkpoint(String table) {
    return StoreLayout.checkpoint(staging, run, pair, table);
  }

  /** The marker saying a table's checkpoint is complete: written after it, with its CRC32C. */
  public URI marker(String table) {
    return StoreLayout.marker(staging, run, pair, table);
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

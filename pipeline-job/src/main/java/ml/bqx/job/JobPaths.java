package ml.bqx.job;

import java.net.URI;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.StoreUris;

/** Where one attempt of one pair keeps its objects in the staging and output stores. */
public record JobPaths(URI staging, URI output, RunId run, Pair pair, int attempt) {
  private String pairPrefix() {
    return "runs/" + run + "/pairs/" + pair + "/";
  }

  /** The folder of the pair's checkpoints (shared by every attempt of the run, for resume). */
  public URI checkpoints() {
    return StoreUris.resolve(staging, pairPrefix() + "checkpoints/");
  }

  /** The checkpoint of one table. */
  public URI checkpoint(String table) {
    return StoreUris.resolve(staging, pairPrefix() + "checkpoints/" + table + ".parquet");
  }

  /** The marker saying a table's checkpoint is complete: written after it, with its CRC32C. */
  public URI marker(String table) {
    return StoreUris.resolve(staging, pairPrefix() + "checkpoints/" + table + ".done.json");
  }

  /** This attempt's merged file, before it is validated and published. */
  public URI stagingFile() {
    return StoreUris.resolve(
        staging, pairPrefix() + "staging/training_" + pair + ".attempt-" + attempt + ".parquet");
  }

  /** The published training file. */
  public URI trainingFile() {
    return StoreUris.resolve(output, "training_" + pair + ".parquet");
  }
}

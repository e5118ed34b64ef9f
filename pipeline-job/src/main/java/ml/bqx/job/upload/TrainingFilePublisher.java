package ml.bqx.job.upload;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.job.stage.JobFailure;

/**
 * Publishes the validated staging object as the training file by an atomic copy inside the store
 * (server-side on GCS) with a generation precondition, so nobody sees a partial file and a
 * concurrent writer is never silently overwritten; then checks the CRC32C the store reports.
 */
public final class TrainingFilePublisher {
  private final ObjectStore store;

  public TrainingFilePublisher(ObjectStore store) {
    this.store = store;
  }

  /** Copies {@code staged} (whose CRC32C is {@code crc32c}) to {@code target}. */
  public ObjectInfo publish(URI staged, String crc32c, URI target) throws IOException {
    Optional<ObjectInfo> existing = store.stat(target);
    WritePrecondition precondition =
        existing
            .map(info -> WritePrecondition.generationMatches(info.generation()))
            .orElse(WritePrecondition.doesNotExist());
    ObjectInfo published;
    try {
      published = store.copy(staged, target, precondition);
    } catch (PreconditionFailedException e) {
      throw new JobFailure(
          target + " changed while this attempt published it: another writer got there first",
          true,
          e);
    }
    if (!crc32c.equals(published.crc32c())) {
      throw new JobFailure(
          "published "
              + target
              + " has CRC32C "
              + published.crc32c()
              + ", the staged file had "
              + crc32c,
          true);
    }
    return published;
  }
}

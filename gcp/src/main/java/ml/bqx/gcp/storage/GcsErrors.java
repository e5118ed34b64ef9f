package ml.bqx.gcp.storage;

import com.google.cloud.storage.StorageException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import ml.bqx.core.port.PreconditionFailedException;
import ml.bqx.core.port.RateLimitedException;

/** Turns what the GCS client throws into the port's exceptions. */
final class GcsErrors {
  private GcsErrors() {}

  /**
   * A lost precondition is GCS's 412; LocalStorageHelper answers 404 "Generation mismatch" or an
   * already-exists cause instead (as tried against google-cloud-nio), so all three mean "conflict".
   */
  static boolean isConflict(StorageException e) {
    if (e.getCode() == 412) {
      return true;
    }
    if (e.getCode() == 404 && String.valueOf(e.getMessage()).contains("Generation mismatch")) {
      return true;
    }
    return e.getCause() instanceof FileAlreadyExistsException;
  }

  /**
   * GCS's 429 rateLimitExceeded: among others, a second write to one object within about a second
   * (cloud.google.com/storage/quotas, "Maximum rate of writes to the same object name").
   */
  static boolean isRateLimited(StorageException e) {
    return e.getCode() == 429;
  }

  static boolean isNotFound(StorageException e) {
    return e.getCode() == 404 && !isConflict(e);
  }

  /**
   * The I/O error to throw for a failure of an operation on {@code uri}: a missing object becomes
   * {@link NoSuchFileException}, a 429 {@link RateLimitedException}. A lost precondition is thrown
   * at once as {@link PreconditionFailedException}.
   */
  static IOException translate(Throwable failure, URI uri) {
    StorageException storage = find(failure);
    if (storage != null && isConflict(storage)) {
      throw new PreconditionFailedException(
          "precondition failed on " + uri + ": " + storage.getMessage(), storage);
    }
    if (storage != null && isRateLimited(storage)) {
      return new RateLimitedException(
          "GCS refused a request on " + uri + " for its rate: " + storage.getMessage(), storage);
    }
    if (storage != null && isNotFound(storage)) {
      NoSuchFileException missing = new NoSuchFileException(uri.toString());
      missing.initCause(storage);
      return missing;
    }
    if (failure instanceof IOException io && storage == null) {
      return io;
    }
    return new IOException("GCS failed on " + uri + ": " + failure.getMessage(), failure);
  }

  private static StorageException find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StorageException e) {
        return e;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }
}

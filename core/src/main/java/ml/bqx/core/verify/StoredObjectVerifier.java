package ml.bqx.core.verify;

import java.io.IOException;
import java.util.Optional;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;

/**
 * Checks what the object store itself knows of an output, without reading it: it exists, its size
 * is the job's and within bounds, and the store's CRC32C equals the one the job reported (when the
 * job's event was lost, only existence and bounds: the store's size and CRC32C are then the facts).
 */
public final class StoredObjectVerifier implements OutputVerifier {
  private final ObjectStore store;

  public StoredObjectVerifier(ObjectStore store) {
    this.store = store;
  }

  @Override
  public Verdict verify(OutputExpectation expected) throws IOException {
    Optional<ObjectInfo> stat = store.stat(expected.uri());
    if (stat.isEmpty()) {
      return Verdict.rejected(expected.uri() + " does not exist");
    }
    ObjectInfo info = stat.get();
    if (expected.hasJobFacts() && info.size() != expected.bytes()) {
      return Verdict.rejected(
          expected.uri()
              + " has "
              + info.size()
              + " bytes but the job reported "
              + expected.bytes());
    }
    if (info.size() < expected.minBytes() || info.size() > expected.maxBytes()) {
      return Verdict.rejected(
          expected.uri()
              + " has "
              + info.size()
              + " bytes, outside "
              + expected.minBytes()
              + "-"
              + expected.maxBytes());
    }
    if (expected.hasJobFacts()
        && (expected.crc32c() == null || !expected.crc32c().equals(info.crc32c()))) {
      return Verdict.rejected(
          expected.uri()
              + " has CRC32C "
              + info.crc32c()
              + " but the job reported "
              + expected.crc32c());
    }
    return Verdict.ok(new OutputFacts(expected.uri().toString(), info.size(), info.crc32c(), 0, 0));
  }
}

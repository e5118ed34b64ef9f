package ml.bqx.core.control;

import java.net.URI;
import java.time.Clock;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.port.EventPublisher;
import ml.bqx.core.port.JobLauncher;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.slots.SlotStore;
import ml.bqx.core.verify.OutputVerifier;

/**
 * The ports and settings every control step works with: the staging store (ledgers, slots,
 * reports), the job launcher, the event bus, the output verifier and the clock.
 */
public record ControlContext(
    ObjectStore staging,
    URI stagingRoot,
    JobLauncher launcher,
    EventPublisher publisher,
    OutputVerifier verifier,
    Clock clock,
    ControlSettings settings) {

  public LedgerStore ledgers() {
    return new LedgerStore(staging, stagingRoot);
  }

  public SlotStore slots() {
    return new SlotStore(staging, stagingRoot, clock);
  }
}

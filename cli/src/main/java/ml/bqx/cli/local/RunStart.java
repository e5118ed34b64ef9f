package ml.bqx.cli.local;

import java.io.IOException;
import ml.bqx.core.control.RunControl;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.message.PairMessage;

/** Creates a local run and publishes its pairs, or resumes one a stopped runner left. */
final class RunStart {
  private RunStart() {}

  static RunLedger begin(RunControl control, LocalRunSpec spec) throws IOException {
    if (!spec.resume()) {
      return control.create(spec.run(), spec.pairs(), spec.settings());
    }
    RunLedger ledger =
        control
            .status(spec.run())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no run '" + spec.run() + "' to resume in " + spec.workdir().stagingDir()));
    // Queued pairs wait for a message: publish theirs again (dispatch ignores duplicates).
    // Running pairs are the reconcile tick's: an ended execution goes through completion.
    for (PairRecord record : ledger.queued()) {
      control.publish(new PairMessage(ledger.run(), record.pair(), record.attempt()));
    }
    return ledger;
  }
}

package ml.bqx.cli.local;

import java.io.IOException;
import ml.bqx.core.control.RunControl;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;

/**
 * Creates a local run and publishes its pairs, or resumes one a stopped runner left, or retries the
 * pairs of a finished one that did not succeed.
 */
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
    if (ledger.isFinished()) {
      // A finished run goes on with the pairs that did not succeed, as bqx retry does in the
      // cloud; one whose pairs all succeeded has nothing left to build.
      return ledger.count(PairState.SUCCEEDED) == ledger.pairs().size()
          ? ledger
          : control.retry(ledger.run());
    }
    // Queued pairs wait for a message: publish the first again, in the run's order (dispatch
    // ignores duplicates; the others follow as slots free up).
    // Running pairs are the reconcile tick's: an ended execution goes through completion.
    control.publishQueued(ledger);
    return ledger;
  }
}

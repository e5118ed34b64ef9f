package ml.bqx.core.control;

import java.util.List;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.RunLedger;

/**
 * What cancelling a run did, for the person who asked.
 *
 * @param ledger the run after the cancel
 * @param stopped the pairs that were running, whose executions were cancelled through the launcher
 * @param launching the pairs being launched, whose dispatch stops the execution it launches
 * @param dequeued the queued pairs cancelled before they started
 */
public record Cancellation(
    RunLedger ledger,
    List<PairRecord> stopped,
    List<PairRecord> launching,
    List<PairRecord> dequeued) {
  public Cancellation {
    stopped = List.copyOf(stopped);
    launching = List.copyOf(launching);
    dequeued = List.copyOf(dequeued);
  }
}

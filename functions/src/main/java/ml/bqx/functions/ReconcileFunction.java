package ml.bqx.functions;

import java.io.IOException;
import java.util.logging.Logger;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.Reconciler;
import ml.bqx.core.message.BusMessage;

/**
 * Pub/Sub topic bqx-reconcile (Cloud Scheduler, every few minutes): recovers lost terminal events,
 * launches that never started and stray slots; a run whose ledger is damaged is logged (SEVERE, one
 * line naming the run and the object) and left alone. The message's content does not matter.
 */
public final class ReconcileFunction extends PubSubFunction {
  private static final Logger LOG = Logger.getLogger(ReconcileFunction.class.getName());

  public ReconcileFunction() {}

  public ReconcileFunction(ControlContext context) {
    super(context);
  }

  @Override
  String name() {
    return "reconcile";
  }

  @Override
  String handle(BusMessage message, ControlContext context) throws IOException {
    Reconciler.Result result = new Reconciler(context).reconcile();
    for (String refused : result.refused()) {
      LOG.severe(name() + ": " + refused);
    }
    return "checked "
        + result.runsChecked()
        + " open runs, recovered "
        + result.recovered()
        + ", released "
        + result.slotsReleased()
        + " stray slots"
        + (result.refused().isEmpty() ? "" : ", refused " + result.refused().size() + " runs");
  }
}

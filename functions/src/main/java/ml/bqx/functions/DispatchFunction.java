package ml.bqx.functions;

import java.io.IOException;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.Dispatcher;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.PairMessage;

/** Pub/Sub topic bqx-pairs: starts a pair's job when a slot is free, else leaves it queued. */
public final class DispatchFunction extends PubSubFunction {
  public DispatchFunction() {}

  public DispatchFunction(ControlContext context) {
    super(context);
  }

  @Override
  String name() {
    return "dispatch";
  }

  /** A bad pair is reported as an error event: completion skips those, so nothing loops. */
  @Override
  boolean publishesRejections() {
    return true;
  }

  @Override
  String handle(BusMessage message, ControlContext context) throws IOException {
    return new Dispatcher(context).dispatch(PairMessage.parse(message)).toString();
  }
}

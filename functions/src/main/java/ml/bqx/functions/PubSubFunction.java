package ml.bqx.functions;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.ErrorEvent;
import ml.bqx.core.message.MessageRejectedException;

/**
 * The shell every bqx function shares: decode the Pub/Sub message of the CloudEvent, hand it to
 * core, ack a message that can never succeed (one-line error logged and published as an error
 * event), and throw on a transient failure so that Pub/Sub delivers again.
 */
abstract class PubSubFunction implements CloudEventsFunction {
  private final Logger log = Logger.getLogger(getClass().getName());
  private volatile ControlContext context;

  /** Wires from the environment on first use (the invoker calls the no-arg constructor). */
  PubSubFunction() {}

  PubSubFunction(ControlContext context) {
    this.context = context;
  }

  /** The function's name in logs and error events. */
  abstract String name();

  /** Handles one decoded message; returns a one-line account of what happened. */
  abstract String handle(BusMessage message, ControlContext context) throws IOException;

  @Override
  public final void accept(CloudEvent event) throws IOException {
    ControlContext wired = context();
    BusMessage message;
    String done;
    try {
      message = PubSubCloudEvents.decode(event);
      done = handle(message, wired);
    } catch (MessageRejectedException rejected) {
      String reason = PubSubCloudEvents.firstLine(rejected.getMessage());
      log.log(Level.SEVERE, name() + ": rejected message " + event.getId() + ": " + reason);
      wired
          .publisher()
          .publish(
              wired.settings().eventsTopic(),
              ErrorEvent.of(
                      name(),
                      wired.clock().instant(),
                      reason,
                      event.getId(),
                      event.getSource() == null ? null : event.getSource().toString())
                  .toBusMessage());
      return;
    }
    log.info(name() + ": " + done);
  }

  private ControlContext context() throws IOException {
    ControlContext wired = context;
    if (wired == null) {
      synchronized (this) {
        if (context == null) {
          context = FunctionWiring.fromEnvironment();
        }
        wired = context;
      }
    }
    return wired;
  }
}

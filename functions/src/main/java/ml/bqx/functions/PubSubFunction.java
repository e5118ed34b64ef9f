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
import ml.bqx.core.port.DamagedObjectException;
import ml.bqx.core.text.OneLine;

/**
 * The shell every bqx function shares: decode the Pub/Sub message of the CloudEvent, hand it to
 * core, ack a message that can never succeed (its reason logged in one line), and throw on a
 * transient failure so that Pub/Sub delivers again.
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

  /**
   * Whether a refused message is also published as an error event on the events topic, for the user
   * to see. Only a function that does not itself consume the events topic may: otherwise its own
   * error event would come back to it (issue 11's loop).
   */
  boolean publishesRejections() {
    return false;
  }

  @Override
  public final void accept(CloudEvent event) throws IOException {
    String source = event.getSource() == null ? null : event.getSource().toString();
    PubSubPush push;
    try {
      push = PubSubCloudEvents.decode(event);
    } catch (MessageRejectedException rejected) {
      reject(event.getId(), source, OneLine.of(rejected.getMessage()), context());
      return;
    }
    deliver(push, source, push.messageId() != null ? push.messageId() : event.getId());
  }

  /**
   * Handles one pushed message, however it came (an Eventarc CloudEvent or a Pub/Sub push): a
   * message that can never succeed is acked with its reason; a transient failure throws.
   */
  final void deliver(PubSubPush push, String source, String messageId) throws IOException {
    ControlContext wired = context();
    String done;
    try {
      done = handle(push.toBusMessage(), wired);
    } catch (MessageRejectedException rejected) {
      reject(messageId, source, OneLine.of(rejected.getMessage()), wired);
      return;
    } catch (DamagedObjectException damaged) {
      // Delivering again cannot repair it; once repaired, reconcile recovers what this dropped.
      reject(messageId, source, OneLine.of(damaged.getMessage()), wired);
      return;
    }
    log.info(name() + ": " + done);
  }

  private void reject(String messageId, String source, String reason, ControlContext wired)
      throws IOException {
    log.log(
        Level.SEVERE,
        name() + ": acked and dropped message " + messageId + " from " + source + ": " + reason);
    if (publishesRejections()) {
      wired
          .publisher()
          .publish(
              wired.settings().eventsTopic(),
              ErrorEvent.of(name(), wired.clock().instant(), reason, messageId, source)
                  .toBusMessage());
    }
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

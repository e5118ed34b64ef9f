package ml.bqx.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.io.IOException;
import java.io.Writer;
import java.util.logging.Logger;
import ml.bqx.core.message.MessageRejectedException;
import ml.bqx.core.text.OneLine;

/**
 * A function as the HTTP endpoint of a Pub/Sub push subscription that terraform owns (with its
 * dead-letter and retry policies), which is how bqx is deployed. Pub/Sub posts its wrapped push
 * body, {@code {"message": {...}, "subscription": "...", "deliveryAttempt": N}}
 * (cloud.google.com/pubsub/docs/push, "Receive messages"), which is also the data of the
 * messagePublished CloudEvent Eventarc would deliver, so it is read by the same {@link PubSubPush}
 * and handled by the same {@link PubSubFunction}. The Functions Framework 2.0.0 cannot turn that
 * body into a CloudEvent itself (it answers 500, "Missing required properties: name"), hence an
 * HTTP function.
 *
 * <p>A 2xx acks, including a pair message that can never succeed (refused with its reason by the
 * function). A transient failure throws: the invoker answers 500 and Pub/Sub delivers again, until
 * the subscription's max delivery attempts send it to the dead-letter topic. A request Pub/Sub
 * would never send (not a POST, not a push body) gets a 4xx and one line.
 */
abstract class PubSubPushFunction implements HttpFunction {
  private final Logger log = Logger.getLogger(getClass().getName());
  private final PubSubFunction target;

  PubSubPushFunction(PubSubFunction target) {
    this.target = target;
  }

  @Override
  public final void service(HttpRequest request, HttpResponse response) throws IOException {
    if (!"POST".equals(request.getMethod())) {
      refuse(response, 405, request.getMethod() + " is not a Pub/Sub push: only POST is");
      return;
    }
    PubSubPush push;
    try {
      push = PubSubPush.parse(request.getInputStream().readAllBytes());
    } catch (MessageRejectedException notAPush) {
      refuse(response, 400, OneLine.of(notAPush.getMessage()));
      return;
    }
    target.deliver(push, push.subscription(), push.messageId());
    response.setStatusCode(204);
  }

  private void refuse(HttpResponse response, int status, String reason) throws IOException {
    log.warning(target.name() + ": refused a request (" + status + "): " + reason);
    response.setStatusCode(status);
    response.setContentType("text/plain; charset=utf-8");
    try (Writer body = response.getWriter()) {
      body.write(reason + "\n");
    }
  }
}

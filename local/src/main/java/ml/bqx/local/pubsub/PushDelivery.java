package ml.bqx.local.pubsub;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import ml.bqx.core.message.BusMessage;

/**
 * Delivers one push subscription's messages over HTTP in its {@link PushFormat}: a 2xx
 * acknowledges; anything else, a refused connection or a timeout is retried with the subscription's
 * backoff until its max delivery attempts, then the message goes to the dead-letter topic.
 * Deliveries run concurrently on the endpoint's executor (Pub/Sub push does not serialize them).
 */
final class PushDelivery implements TopicSubscriber {
  /** The attributes Pub/Sub adds to a dead-lettered message. */
  static final String DEAD_LETTER_DELIVERY_COUNT = "CloudPubSubDeadLetterSourceDeliveryCount";

  static final String DEAD_LETTER_SUBSCRIPTION = "CloudPubSubDeadLetterSourceSubscription";
  static final String DEAD_LETTER_SUBSCRIPTION_PROJECT =
      "CloudPubSubDeadLetterSourceSubscriptionProject";
  static final String DEAD_LETTER_PUBLISH_TIME = "CloudPubSubDeadLetterSourceTopicPublishTime";

  private static final Logger LOG = Logger.getLogger(PushDelivery.class.getName());

  private final String project;
  private volatile PushSubscription subscription;
  private final HttpClient http;
  private final Duration timeout;
  private final Executor executor;
  private final RetryScheduler scheduler;
  private final BiConsumer<String, BusMessage> deadLetterPublisher;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();

  PushDelivery(
      String project,
      PushSubscription subscription,
      HttpClient http,
      Duration timeout,
      Executor executor,
      RetryScheduler scheduler,
      BiConsumer<String, BusMessage> deadLetterPublisher) {
    this.project = project;
    this.subscription = subscription;
    this.http = http;
    this.timeout = timeout;
    this.executor = executor;
    this.scheduler = scheduler;
    this.deadLetterPublisher = deadLetterPublisher;
  }

  @Override
  public String name() {
    return subscription.name();
  }

  PushSubscription subscription() {
    return subscription;
  }

  /**
   * Pushes to {@code endpoint} from now on, retries of messages already delivered included: as
   * Pub/Sub documents for ModifyPushConfig, messages keep accumulating for delivery through the
   * change
   * (cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions/modifyPushConfig).
   */
  void modifyPushEndpoint(URI endpoint) {
    subscription = subscription.withPushEndpoint(endpoint);
  }

  DeliveryStats stats() {
    return new DeliveryStats(delivered.get(), acked.get(), retried.get(), deadLettered.get());
  }

  @Override
  public void offer(PublishedMessage message) {
    if (subscription.accepts(message.message())) {
      submit(message, 1);
    }
  }

  private void submit(PublishedMessage message, int attempt) {
    try {
      executor.execute(() -> deliver(message, attempt));
    } catch (RejectedExecutionException closing) {
      // The endpoint is closing: in-memory messages end with it.
    }
  }

  private void deliver(PublishedMessage message, int attempt) {
    delivered.incrementAndGet();
    if (push(message, attempt)) {
      acked.incrementAndGet();
      return;
    }
    if (Thread.currentThread().isInterrupted()) {
      return; // closing
    }
    if (attempt >= subscription.maxDeliveryAttempts()) {
      deadLettered.incrementAndGet();
      LOG.warning(
          () ->
              subscription.name()
                  + ": message "
                  + message.messageId()
                  + " dead-lettered to "
                  + subscription.deadLetterTopic()
                  + " after "
                  + attempt
                  + " deliveries");
      deadLetterPublisher.accept(subscription.deadLetterTopic(), deadLetterCopy(message, attempt));
      return;
    }
    retried.incrementAndGet();
    scheduler.schedule(
        subscription.retryPolicy().backoff(attempt), () -> submit(message, attempt + 1));
  }

  private boolean push(PublishedMessage message, int attempt) {
    PushSubscription current = subscription; // one URL for this delivery, whatever changes
    PushRequest request =
        PushRequest.encode(current.format(), project, current.name(), message, attempt);
    try {
      HttpResponse<Void> response =
          http.send(
              request.toHttpRequest(current.pushEndpoint(), timeout),
              HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status / 100 != 2) {
        LOG.fine(() -> current.name() + ": push answered " + status);
      }
      return status / 100 == 2;
    } catch (IOException e) {
      LOG.log(Level.FINE, current.name() + ": push failed", e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private BusMessage deadLetterCopy(PublishedMessage message, int attempts) {
    Map<String, String> attributes = new LinkedHashMap<>(message.message().attributes());
    attributes.put(DEAD_LETTER_DELIVERY_COUNT, Integer.toString(attempts));
    attributes.put(DEAD_LETTER_SUBSCRIPTION, subscription.name());
    attributes.put(DEAD_LETTER_SUBSCRIPTION_PROJECT, project);
    attributes.put(DEAD_LETTER_PUBLISH_TIME, message.publishTime().toString());
    return new BusMessage(message.message().data(), attributes);
  }
}

package ml.bqx.local.pubsub;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import ml.bqx.core.message.BusMessage;

/**
 * A push subscription's settings: which topic, where to push (a loopback URL), how to retry, after
 * how many deliveries a message goes to the dead-letter topic, and an optional attribute filter
 * (every listed attribute must be present with that value, like Pub/Sub's {@code attributes.k = "v"
 * AND ...}), and the format of its pushes (a plain Pub/Sub push unless said otherwise, as terraform
 * creates them).
 */
public record PushSubscription(
    String topic,
    String name,
    URI pushEndpoint,
    RetryPolicy retryPolicy,
    int maxDeliveryAttempts,
    String deadLetterTopic,
    Map<String, String> attributeFilter,
    PushFormat format) {

  /** Pub/Sub's default and bounds for max delivery attempts of a dead-letter policy. */
  public static final int DEFAULT_MAX_DELIVERY_ATTEMPTS = 5;

  public static final int MAX_DELIVERY_ATTEMPTS_LIMIT = 100;

  /** Pub/Sub's rule for topic and subscription ids. */
  static final Pattern RESOURCE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9._~+%-]{2,254}");

  public PushSubscription {
    requireId("topic", topic);
    requireId("subscription", name);
    requireId("dead-letter topic", deadLetterTopic);
    Objects.requireNonNull(pushEndpoint, "pushEndpoint");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    Objects.requireNonNull(format, "format");
    attributeFilter = attributeFilter == null ? Map.of() : Map.copyOf(attributeFilter);
    if (!"http".equals(pushEndpoint.getScheme())
        || !("127.0.0.1".equals(pushEndpoint.getHost())
            || "localhost".equals(pushEndpoint.getHost()))) {
      throw new IllegalArgumentException(
          "push endpoint must be an http URL on 127.0.0.1 or localhost, not '"
              + pushEndpoint
              + "'");
    }
    if (maxDeliveryAttempts < 1 || maxDeliveryAttempts > MAX_DELIVERY_ATTEMPTS_LIMIT) {
      throw new IllegalArgumentException(
          "max delivery attempts must be between 1 and "
              + MAX_DELIVERY_ATTEMPTS_LIMIT
              + ", not "
              + maxDeliveryAttempts);
    }
    if (deadLetterTopic.equals(topic)) {
      throw new IllegalArgumentException(
          "dead-letter topic of subscription '"
              + name
              + "' must differ from its topic '"
              + topic
              + "'");
    }
  }

  /** A subscription with Pub/Sub's defaults: 10-600 s backoff, 5 attempts, no filter. */
  public static PushSubscription of(
      String topic, String name, URI pushEndpoint, String deadLetterTopic) {
    return new PushSubscription(
        topic,
        name,
        pushEndpoint,
        RetryPolicy.PUBSUB_DEFAULT,
        DEFAULT_MAX_DELIVERY_ATTEMPTS,
        deadLetterTopic,
        Map.of(),
        PushFormat.PUBSUB_PUSH);
  }

  /** The same subscription pushing to another URL (Pub/Sub's ModifyPushConfig). */
  public PushSubscription withPushEndpoint(URI endpoint) {
    return new PushSubscription(
        topic,
        name,
        endpoint,
        retryPolicy,
        maxDeliveryAttempts,
        deadLetterTopic,
        attributeFilter,
        format);
  }

  public PushSubscription withRetryPolicy(RetryPolicy policy) {
    return new PushSubscription(
        topic,
        name,
        pushEndpoint,
        policy,
        maxDeliveryAttempts,
        deadLetterTopic,
        attributeFilter,
        format);
  }

  public PushSubscription withMaxDeliveryAttempts(int attempts) {
    return new PushSubscription(
        topic, name, pushEndpoint, retryPolicy, attempts, deadLetterTopic, attributeFilter, format);
  }

  public PushSubscription withAttributeFilter(Map<String, String> filter) {
    return new PushSubscription(
        topic,
        name,
        pushEndpoint,
        retryPolicy,
        maxDeliveryAttempts,
        deadLetterTopic,
        filter,
        format);
  }

  /** The same subscription pushing in {@code pushFormat}. */
  public PushSubscription withFormat(PushFormat pushFormat) {
    return new PushSubscription(
        topic,
        name,
        pushEndpoint,
        retryPolicy,
        maxDeliveryAttempts,
        deadLetterTopic,
        attributeFilter,
        pushFormat);
  }

  /** Whether this subscription receives the message (its filter matches). */
  public boolean accepts(BusMessage message) {
    return attributeFilter.entrySet().stream()
        .allMatch(e -> e.getValue().equals(message.attributes().get(e.getKey())));
  }

  static void requireId(String what, String id) {
    if (id == null || !RESOURCE_ID.matcher(id).matches() || id.startsWith("goog")) {
      throw new IllegalArgumentException(
          what
              + " id '"
              + id
              + "' is invalid: 3-255 letters, digits or - _ . ~ + %, starting with a letter,"
              + " not with 'goog'");
    }
  }
}

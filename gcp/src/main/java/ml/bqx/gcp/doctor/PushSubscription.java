package ml.bqx.gcp.doctor;

/**
 * A Pub/Sub subscription as {@code bqx doctor} checks it.
 *
 * @param pushEndpoint empty for a pull subscription
 * @param deadLetterTopic empty when it has no dead-letter policy
 */
public record PushSubscription(
    String topic, String pushEndpoint, String deadLetterTopic, int maxDeliveryAttempts) {}

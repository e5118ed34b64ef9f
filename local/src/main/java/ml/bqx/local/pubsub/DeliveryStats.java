package ml.bqx.local.pubsub;

/**
 * What a push subscription did so far: HTTP deliveries made, deliveries acknowledged (2xx), failed
 * deliveries scheduled again, and messages sent to the dead-letter topic.
 */
public record DeliveryStats(long delivered, long acked, long retried, long deadLettered) {}

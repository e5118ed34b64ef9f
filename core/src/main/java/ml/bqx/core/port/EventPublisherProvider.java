package ml.bqx.core.port;

/** Finds the event publisher of a URI scheme ({@code pubsub}). */
public interface EventPublisherProvider extends AdapterProvider<EventPublisher> {}

package ml.bqx.local.pubsub;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** A subscription that hands each message to an in-process listener, once, on the executor. */
final class ListenerSubscription implements TopicSubscriber {
  private static final Logger LOG = Logger.getLogger(ListenerSubscription.class.getName());
  private final String name;
  private final Consumer<PublishedMessage> listener;
  private final Executor executor;

  ListenerSubscription(String name, Consumer<PublishedMessage> listener, Executor executor) {
    this.name = name;
    this.listener = listener;
    this.executor = executor;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void offer(PublishedMessage message) {
    try {
      executor.execute(() -> notifyListener(message));
    } catch (RejectedExecutionException closing) {
      // The endpoint is closing: in-memory messages end with it.
    }
  }

  private void notifyListener(PublishedMessage message) {
    try {
      listener.accept(message);
    } catch (RuntimeException e) {
      // A listener is an observer, not a push endpoint: its failure is logged, never retried.
      LOG.log(Level.WARNING, "listener of subscription " + name + " failed", e);
    }
  }
}

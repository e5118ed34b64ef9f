package ml.bqx.local.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A subscription that keeps its messages until someone pulls them (e.g. a dead-letter topic's). */
final class PullSubscription implements TopicSubscriber {
  private final String name;
  private final ConcurrentLinkedQueue<PublishedMessage> waiting = new ConcurrentLinkedQueue<>();

  PullSubscription(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void offer(PublishedMessage message) {
    waiting.add(message);
  }

  /** Takes up to {@code max} messages, oldest first; taking acknowledges them. */
  List<PublishedMessage> pull(int max) {
    List<PublishedMessage> taken = new ArrayList<>();
    PublishedMessage next;
    while (taken.size() < max && (next = waiting.poll()) != null) {
      taken.add(next);
    }
    return taken;
  }
}

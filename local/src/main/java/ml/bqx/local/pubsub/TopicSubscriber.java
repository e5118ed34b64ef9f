package ml.bqx.local.pubsub;

/** Something attached to a topic that receives each message published on it. */
interface TopicSubscriber {
  String name();

  /** Takes a new message; must not block (deliveries happen on the endpoint's executor). */
  void offer(PublishedMessage message);
}

package ml.bqx.local.pubsub;

/**
 * How a push subscription posts a message. Both bodies are the same wrapped Pub/Sub message, both
 * spellings of ids and times included, as Google sends them.
 */
public enum PushFormat {
  /**
   * A plain Pub/Sub push subscription, as terraform creates for the deployed functions: a POST of
   * the wrapped message as {@code application/json}, no CloudEvent headers
   * (cloud.google.com/pubsub/docs/push, "Receive messages").
   */
  PUBSUB_PUSH,
  /**
   * Eventarc's delivery to a CloudEvents function: the same body as the data of a binary-mode
   * {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvent, with {@code @type} in the
   * message (cloud.google.com/eventarc/docs/cloudevents).
   */
  EVENTARC
}

package ml.bqx.functions;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.testing.ControlHarness;
import ml.bqx.core.testing.RecordingPublisher;
import ml.bqx.core.verify.OutputVerifier;
import ml.bqx.core.verify.StoredObjectVerifier;
import ml.bqx.local.pubsub.PublishedMessage;
import ml.bqx.local.pubsub.PushFormat;
import ml.bqx.local.pubsub.PushRequest;
import ml.bqx.local.store.FolderObjectStore;

/**
 * The three functions over the local folder store, with core's recording launcher, recording
 * publisher and fake clock, and every message delivered as an Eventarc Pub/Sub CloudEvent.
 */
final class Harness extends ControlHarness {
  final DispatchFunction dispatch;
  final CompletionFunction completion;
  final ReconcileFunction reconcile;

  Harness(Path dir, int projectCap) throws IOException {
    this(dir, projectCap, StoredObjectVerifier::new);
  }

  /** A harness whose completion and reconcile check outputs with {@code verifier}. */
  Harness(Path dir, int projectCap, Function<ObjectStore, OutputVerifier> verifier)
      throws IOException {
    super(
        new FolderObjectStore(),
        Files.createDirectories(dir.resolve("staging")).toUri(),
        Files.createDirectories(dir.resolve("output")).toUri(),
        projectCap,
        verifier);
    dispatch = new DispatchFunction(context);
    completion = new CompletionFunction(context);
    reconcile = new ReconcileFunction(context);
  }

  /**
   * A Pub/Sub message as Eventarc pushes it: the body the local endpoint sends (Google's shape,
   * both spellings, deliveryAttempt), so every function test meets the parser Google's pushes meet.
   */
  static byte[] eventarcBody(BusMessage message, String messageId, String topic) {
    PublishedMessage published =
        new PublishedMessage(
            topic, messageId, Instant.parse("2026-11-28T09:00:00.123Z"), message, "");
    return PushRequest.encode(PushFormat.EVENTARC, "bqx-test", topic + "-push", published, 1)
        .body();
  }

  static CloudEvent cloudEvent(String topic, BusMessage message, String messageId) {
    return rawCloudEvent(topic, messageId, eventarcBody(message, messageId, topic));
  }

  static CloudEvent rawCloudEvent(String topic, String id, byte[] body) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("//pubsub.googleapis.com/projects/bqx-test/topics/" + topic))
        .withType("google.cloud.pubsub.topic.v1.messagePublished")
        .withDataContentType("application/json")
        .withData(body)
        .build();
  }

  /** Delivers a published message to the function subscribed to its topic. */
  @Override
  public void deliver(RecordingPublisher.Published published) throws IOException {
    CloudEvent event = cloudEvent(published.topic(), published.message(), published.id());
    switch (published.topic()) {
      case PAIRS -> dispatch.accept(event);
      case EVENTS -> completion.accept(event);
      default -> throw new IllegalArgumentException("no function on " + published.topic());
    }
  }
}

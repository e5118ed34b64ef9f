package ml.bqx.functions;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.ControlSettings;
import ml.bqx.core.control.CostModel;
import ml.bqx.core.control.RunControl;
import ml.bqx.core.control.StoredObjectVerifier;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.port.LaunchRequest;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.StoreUris;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.local.pubsub.PublishedMessage;
import ml.bqx.local.pubsub.PushFormat;
import ml.bqx.local.pubsub.PushRequest;
import ml.bqx.local.store.FolderObjectStore;

/**
 * The three functions over the local folder store, a recording launcher, a recording publisher and
 * a fake clock, with messages delivered as Eventarc Pub/Sub CloudEvents.
 */
final class Harness {
  static final String PAIRS = "bqx-pairs";
  static final String EVENTS = "bqx-stage-events";
  static final Instant START = Instant.parse("2026-11-28T09:00:00Z");

  final FakeClock clock = new FakeClock(START);
  final RecordingLauncher launcher = new RecordingLauncher();
  final RecordingPublisher publisher = new RecordingPublisher();
  final FolderObjectStore store = new FolderObjectStore();
  final URI staging;
  final URI output;
  final ControlContext context;
  final DispatchFunction dispatch;
  final CompletionFunction completion;
  final ReconcileFunction reconcile;
  final RunControl control;
  private int ids;

  Harness(Path dir, int projectCap) throws IOException {
    this(dir, projectCap, StoredObjectVerifier::new);
  }

  /** A harness whose completion and reconcile check outputs with {@code verifier}. */
  Harness(
      Path dir,
      int projectCap,
      java.util.function.Function<FolderObjectStore, ml.bqx.core.control.OutputVerifier> verifier)
      throws IOException {
    staging = Files.createDirectories(dir.resolve("staging")).toUri();
    output = Files.createDirectories(dir.resolve("output")).toUri();
    context =
        new ControlContext(
            store,
            staging,
            launcher,
            publisher,
            verifier.apply(store),
            clock,
            new ControlSettings(
                PAIRS,
                EVENTS,
                projectCap,
                new RunSettings(4, 3, 0),
                Duration.ofMinutes(10),
                output,
                1,
                1,
                new CostModel(4, 12, 0.000018, 0.000002)));
    dispatch = new DispatchFunction(context);
    completion = new CompletionFunction(context);
    reconcile = new ReconcileFunction(context);
    control = new RunControl(context);
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
  void deliver(RecordingPublisher.Published published) throws IOException {
    CloudEvent event = cloudEvent(published.topic(), published.message(), published.id());
    switch (published.topic()) {
      case PAIRS -> dispatch.accept(event);
      case EVENTS -> completion.accept(event);
      default -> throw new IllegalArgumentException("no function on " + published.topic());
    }
  }

  void deliver(String topic, BusMessage message) throws IOException {
    deliver(new RecordingPublisher.Published(topic, message, "t" + (++ids)));
  }

  /** The job of an execution succeeds: its file is published and its terminal event sent. */
  StageEvent succeed(String execution) throws IOException {
    LaunchRequest request = launcher.request(execution);
    URI target = StoreUris.resolve(output, "training_" + request.pair().name() + ".parquet");
    byte[] content =
        ("PAR1 " + request.run() + " " + request.pair() + " " + request.attempt() + " PAR1")
            .getBytes(StandardCharsets.UTF_8);
    ObjectInfo info = store.write(target, content, WritePrecondition.none());
    launcher.end(execution, ml.bqx.core.port.ExecutionState.Phase.SUCCEEDED);
    StageEvent event =
        StageEvent.of(
                request.run(),
                request.pair(),
                request.attempt(),
                Stage.JOB,
                EventStatus.SUCCEEDED,
                clock.instant())
            .withOutput(
                new OutputFacts(target.toString(), info.size(), info.crc32c(), 120_000, 10_500))
            .withMetrics(
                Map.of(
                    "extract.durationMs", 60_000.0,
                    "merge.durationMs", 20_000.0,
                    "tables", 668.0,
                    "tablesPerMin", 668.0));
    publisher.publish(EVENTS, event.toBusMessage());
    return event;
  }

  /** The job of an execution fails with a terminal event. */
  StageEvent fail(String execution, boolean retryable) throws IOException {
    LaunchRequest request = launcher.request(execution);
    launcher.end(execution, ml.bqx.core.port.ExecutionState.Phase.FAILED);
    StageEvent event =
        StageEvent.of(
                request.run(),
                request.pair(),
                request.attempt(),
                Stage.JOB,
                EventStatus.FAILED,
                clock.instant())
            .withMessage("extract failed: table x unreadable")
            .withRetryable(retryable);
    publisher.publish(EVENTS, event.toBusMessage());
    return event;
  }

  RunLedger ledger(RunId run) throws IOException {
    return new LedgerStore(store, staging).load(run).orElseThrow();
  }

  /** Delivers everything published until nothing new is, once each. */
  void drain() throws IOException {
    for (var batch = publisher.takeNew(); !batch.isEmpty(); batch = publisher.takeNew()) {
      for (RecordingPublisher.Published p : batch) {
        if (p.topic().equals(PAIRS) || p.topic().equals(EVENTS)) {
          deliver(p);
        }
      }
    }
  }
}

package ml.bqx.local.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PublishRequest;
import com.google.pubsub.v1.PublisherGrpc;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import ml.bqx.core.message.BusMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoint's own API and its Publisher gRPC API: topics, ids, refusals, shutdown. */
class LocalPubSubEndpointTest {
  private static final String PROJECT = "bqx-local";
  private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
  private static final URI LOOPBACK = URI.create("http://127.0.0.1:9/");

  private LocalPubSubEndpoint endpoint;
  private EmulatorClients clients;

  @BeforeEach
  void start() throws Exception {
    endpoint = LocalPubSubEndpoint.builder(PROJECT).clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
    endpoint.createTopic("bqx-pairs");
    endpoint.createTopic("bqx-dead");
    clients = new EmulatorClients(endpoint.hostPort());
  }

  @AfterEach
  void stop() throws Exception {
    clients.close();
    endpoint.close();
  }

  @Test
  void hostPort_isLoopbackWithTheBoundPort() {
    assertThat(endpoint.hostPort()).isEqualTo("127.0.0.1:" + endpoint.port());
    assertThat(endpoint.port()).isPositive();
  }

  @Test
  void publish_givesIncreasingIds_andTheClockPublishTime() {
    endpoint.addPullSubscription("bqx-pairs", "bqx-pairs-pull");

    String first = endpoint.publish("bqx-pairs", new BusMessage(new byte[] {1}, Map.of()));
    String second = endpoint.publish("bqx-pairs", new BusMessage(new byte[] {2}, Map.of()));

    assertThat(Long.parseLong(second)).isGreaterThan(Long.parseLong(first));
    assertThat(endpoint.pull("bqx-pairs-pull", 10))
        .extracting(PublishedMessage::messageId, PublishedMessage::publishTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(first, NOW),
            org.assertj.core.groups.Tuple.tuple(second, NOW));
    assertThat(endpoint.pull("bqx-pairs-pull", 10)).isEmpty();
  }

  @Test
  void realPublisher_toUnknownTopic_failsNotFoundWithReason() throws Exception {
    Publisher publisher = clients.publisher(PROJECT, "no-such-topic");
    try {
      var failure =
          assertThrows(
              ExecutionException.class,
              () ->
                  publisher
                      .publish(
                          PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("x")).build())
                      .get(20, TimeUnit.SECONDS));
      assertThat(failure.getCause())
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining(
              "topic projects/bqx-local/topics/no-such-topic does not exist on the local Pub/Sub"
                  + " endpoint of project bqx-local");
    } finally {
      publisher.shutdown();
      publisher.awaitTermination(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void grpcPublish_toAnotherProject_failsNotFound() throws Exception {
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                withStub(
                    stub ->
                        stub.publish(
                            PublishRequest.newBuilder()
                                .setTopic(TopicName.format("other-project", "bqx-pairs"))
                                .addMessages(message("x"))
                                .build())));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "topic projects/other-project/topics/bqx-pairs is in project other-project; the local"
                + " Pub/Sub endpoint serves project bqx-local");
  }

  @Test
  void grpcPublish_ofEmptyMessage_orNoMessages_orBadName_failsInvalidArgument() throws Exception {
    String topic = TopicName.format(PROJECT, "bqx-pairs");
    StatusRuntimeException empty =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                withStub(
                    stub ->
                        stub.publish(
                            PublishRequest.newBuilder()
                                .setTopic(topic)
                                .addMessages(PubsubMessage.getDefaultInstance())
                                .build())));
    StatusRuntimeException none =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                withStub(
                    stub -> stub.publish(PublishRequest.newBuilder().setTopic(topic).build())));
    StatusRuntimeException badName =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                withStub(
                    stub ->
                        stub.publish(
                            PublishRequest.newBuilder()
                                .setTopic("bqx-pairs")
                                .addMessages(message("x"))
                                .build())));

    assertThat(empty.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(empty.getStatus().getDescription())
        .isEqualTo("message 0 to " + topic + " has neither data nor attributes");
    assertThat(none.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(none.getStatus().getDescription())
        .isEqualTo("publish request to " + topic + " has no messages");
    assertThat(badName.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(badName.getStatus().getDescription())
        .isEqualTo("'bqx-pairs' is not a topic name (projects/PROJECT/topics/TOPIC)");
  }

  @Test
  void topicAdmin_createsAndGetsTopics_andRefusesDuplicatesAndUnknowns() throws Exception {
    try (TopicAdminClient admin = clients.topicAdmin()) {
      TopicName created = TopicName.of(PROJECT, "bqx-stage-events");

      assertThat(admin.createTopic(created).getName()).isEqualTo(created.toString());
      assertThat(endpoint.topicExists("bqx-stage-events")).isTrue();
      assertThat(admin.getTopic(created).getName()).isEqualTo(created.toString());
      assertThat(assertThrows(AlreadyExistsException.class, () -> admin.createTopic(created)))
          .hasMessageContaining("topic projects/bqx-local/topics/bqx-stage-events already exists");
      assertThrows(
          NotFoundException.class, () -> admin.getTopic(TopicName.of(PROJECT, "nope-topic")));
    }
  }

  @Test
  void inProcessPublish_toUnknownTopic_isRefused() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> endpoint.publish("no-such-topic", new BusMessage(new byte[] {1}, Map.of())));
    assertThat(e)
        .hasMessage(
            "topic 'no-such-topic' does not exist on the local Pub/Sub endpoint of project bqx-local");
  }

  @Test
  void addPushSubscription_withUnknownTopics_orDuplicateName_isRefused() {
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    endpoint.addPushSubscription(
                        PushSubscription.of("no-such-topic", "bqx-sub", LOOPBACK, "bqx-dead"))))
        .hasMessageContaining("topic 'no-such-topic' does not exist");
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    endpoint.addPushSubscription(
                        PushSubscription.of("bqx-pairs", "bqx-sub", LOOPBACK, "no-dead-topic"))))
        .hasMessageContaining("topic 'no-dead-topic' does not exist");
    endpoint.addPushSubscription(PushSubscription.of("bqx-pairs", "bqx-sub", LOOPBACK, "bqx-dead"));
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () -> endpoint.addPullSubscription("bqx-dead", "bqx-sub")))
        .hasMessage("subscription 'bqx-sub' already exists");
  }

  @Test
  void pushSubscription_withBadSettings_isRefusedWithReason() {
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    PushSubscription.of(
                        "bqx-pairs", "bqx-sub", URI.create("http://0.0.0.0:8080/"), "bqx-dead")))
        .hasMessage(
            "push endpoint must be an http URL on 127.0.0.1 or localhost, not 'http://0.0.0.0:8080/'");
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () ->
                    PushSubscription.of("bqx-pairs", "bqx-sub", LOOPBACK, "bqx-dead")
                        .withMaxDeliveryAttempts(0)))
        .hasMessage("max delivery attempts must be between 1 and 100, not 0");
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () -> PushSubscription.of("bqx-pairs", "bqx-sub", LOOPBACK, "bqx-pairs")))
        .hasMessage(
            "dead-letter topic of subscription 'bqx-sub' must differ from its topic 'bqx-pairs'");
    assertThat(
            assertThrows(
                IllegalArgumentException.class,
                () -> PushSubscription.of("bqx-pairs", "x", LOOPBACK, "bqx-dead")))
        .hasMessageStartingWith("subscription id 'x' is invalid");
  }

  @Test
  void pullAndStats_ofUnknownSubscriptions_areRefused() {
    assertThat(assertThrows(IllegalArgumentException.class, () -> endpoint.pull("nope-sub", 1)))
        .hasMessage("'nope-sub' is not a pull subscription of this endpoint");
    assertThat(assertThrows(IllegalArgumentException.class, () -> endpoint.stats("nope-sub")))
        .hasMessage("'nope-sub' is not a push subscription of this endpoint");
  }

  @Test
  void builder_withBadProject_isRefused() {
    assertThat(
            assertThrows(
                IllegalArgumentException.class, () -> LocalPubSubEndpoint.builder("Bad_Project")))
        .hasMessageStartingWith("project id 'Bad_Project' is invalid");
  }

  @Test
  void close_stopsEveryThread_andRefusesLaterPublishes() throws Exception {
    LocalPubSubEndpoint other = LocalPubSubEndpoint.start("bqx-other");
    other.createTopic("bqx-pairs");
    other.createTopic("bqx-pairs-dead");
    // Port 9 refuses: the delivery fails and waits on the real-time retry timer when closed.
    other.addPushSubscription(
        PushSubscription.of("bqx-pairs", "bqx-sub", LOOPBACK, "bqx-pairs-dead"));
    other.publish("bqx-pairs", new BusMessage(new byte[] {1}, Map.of()));
    await().atMost(10, TimeUnit.SECONDS).until(() -> other.stats("bqx-sub").retried() == 1);

    other.close();
    endpoint.close();
    clients.close();

    await().atMost(10, TimeUnit.SECONDS).until(() -> liveThreads("bqx-pubsub") == 0);
    assertThat(
            assertThrows(
                IllegalStateException.class,
                () -> other.publish("bqx-pairs", new BusMessage(new byte[] {1}, Map.of()))))
        .hasMessage("the local Pub/Sub endpoint is closed");
  }

  static long liveThreads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  private static PubsubMessage message(String data) {
    return PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).build();
  }

  private interface StubCall {
    void call(PublisherGrpc.PublisherBlockingStub stub);
  }

  private void withStub(StubCall call) throws InterruptedException {
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(endpoint.hostPort()).usePlaintext().build();
    try {
      call.call(PublisherGrpc.newBlockingStub(channel));
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}

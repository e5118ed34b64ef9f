package ml.bqx.local.pubsub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ml.bqx.core.json.Json;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.functions.LocalFunctionHost;
import ml.bqx.local.functions.TestFunctions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole local event path: the real google-cloud-pubsub Publisher publishes to the endpoint,
 * which pushes Eventarc CloudEvents to CloudEvents functions hosted on a loopback Jetty by the
 * invoker (subscriptions in {@link PushFormat#EVENTARC}; the plain push format of terraform's
 * subscriptions is checked by PushRequestTest and, end to end, by every local run).
 */
class LocalPubSubDeliveryTest {
  private static final String PROJECT = "bqx-local";
  private static final String TOPIC = "bqx-pairs";
  private static final String DEAD_LETTERS = "bqx-pairs-dead-letter";
  private static final String DEAD_LETTER_PULL = "bqx-pairs-dead-letter-pull";
  private static final String SUBSCRIPTION = "bqx-dispatch";

  private final RecordingRetryScheduler scheduler = new RecordingRetryScheduler();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private LocalPubSubEndpoint endpoint;

  @BeforeEach
  void startEndpoint() throws IOException {
    TestFunctions.reset();
    endpoint = open(LocalPubSubEndpoint.builder(PROJECT).retryScheduler(scheduler).start());
    endpoint.createTopic(TOPIC);
    endpoint.createTopic(DEAD_LETTERS);
    endpoint.addPullSubscription(DEAD_LETTERS, DEAD_LETTER_PULL);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  @Test
  void publishedByRealClient_arrivesAsEventarcCloudEvent_andParsesBackToSamePairMessage()
      throws Exception {
    subscribe(TestFunctions.Accepting.class, 5);
    PairMessage full = PairMessage.of(RunId.of("run-20261128-a"), Pair.parse("eurusd"), 2);
    BusMessage fullMessage = full.toBusMessage();
    BusMessage bare = new BusMessage("{\"pair\":\"gbpusd\"}".getBytes(UTF_8), Map.of());
    BusMessage attributeOnly = new BusMessage(new byte[0], Map.of("pair", "audusd"));

    List<String> ids = publishWithRealClient(fullMessage, bare, attributeOnly);

    await().atMost(20, TimeUnit.SECONDS).until(() -> TestFunctions.RECEIVED.size() == 3);
    Map<String, PairMessage> parsedById = new java.util.HashMap<>();
    for (CloudEvent event : TestFunctions.RECEIVED) {
      assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
      assertThat(event.getType()).isEqualTo("google.cloud.pubsub.topic.v1.messagePublished");
      assertThat(event.getSource())
          .isEqualTo(URI.create("//pubsub.googleapis.com/projects/bqx-local/topics/bqx-pairs"));
      assertThat(event.getDataContentType()).isEqualTo("application/json");
      JsonNode data = readEventarcData(event);
      assertThat(data.path("subscription").asText())
          .isEqualTo("projects/bqx-local/subscriptions/bqx-dispatch");
      assertThat(data.path("deliveryAttempt").asInt()).isEqualTo(1);
      JsonNode message = data.path("message");
      assertThat(message.path("messageId").asText()).isEqualTo(event.getId());
      assertThat(message.path("message_id").asText()).isEqualTo(event.getId());
      assertThat(message.path("publishTime").asText())
          .isEqualTo(message.path("publish_time").asText())
          .isNotEmpty();
      assertThat(event.getTime()).isNotNull();
      parsedById.put(event.getId(), PairMessage.parse(busMessageOf(event)));
    }
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(parsedById)
        .containsEntry(ids.get(0), full)
        .containsEntry(ids.get(1), PairMessage.parse(bare))
        .containsEntry(ids.get(2), PairMessage.parse(attributeOnly));
    assertThat(parsedById.get(ids.get(1)).pair()).isEqualTo(Pair.parse("gbpusd"));
    assertThat(parsedById.get(ids.get(2)).pair()).isEqualTo(Pair.parse("audusd"));
    assertThat(endpoint.stats(SUBSCRIPTION)).isEqualTo(new DeliveryStats(3, 3, 0, 0));
  }

  @Test
  void delivery_when2xx_isAckedWithExactlyOneDelivery() throws Exception {
    subscribe(TestFunctions.Accepting.class, 5);

    endpoint.publish(TOPIC, PairMessage.of(null, Pair.parse("eurusd"), 1).toBusMessage());

    await().atMost(20, TimeUnit.SECONDS).until(() -> endpoint.stats(SUBSCRIPTION).acked() == 1);
    assertThat(endpoint.stats(SUBSCRIPTION)).isEqualTo(new DeliveryStats(1, 1, 0, 0));
    assertThat(TestFunctions.RECEIVED).hasSize(1);
    assertThat(scheduler.delays()).isEmpty();
    assertThat(endpoint.pull(DEAD_LETTER_PULL, 10)).isEmpty();
  }

  @Test
  void failingFunction_isRedeliveredWithGrowingBackoff_thenDeadLettered() throws Exception {
    subscribe(TestFunctions.Failing.class, 5);
    BusMessage message = PairMessage.of(null, Pair.parse("nzdcad"), 1).toBusMessage();

    String id = publishWithRealClient(message).get(0);

    List<PublishedMessage> dead = new ArrayList<>();
    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> dead.addAll(endpoint.pull(DEAD_LETTER_PULL, 10)) || !dead.isEmpty());
    assertThat(dead).hasSize(1);
    PublishedMessage deadLetter = dead.get(0);
    assertThat(deadLetter.topic()).isEqualTo(DEAD_LETTERS);
    assertThat(deadLetter.message().data()).isEqualTo(message.data());
    assertThat(deadLetter.message().attributes())
        .containsAllEntriesOf(message.attributes())
        .containsEntry("CloudPubSubDeadLetterSourceDeliveryCount", "5")
        .containsEntry("CloudPubSubDeadLetterSourceSubscription", SUBSCRIPTION)
        .containsEntry("CloudPubSubDeadLetterSourceSubscriptionProject", PROJECT);
    assertThat(TestFunctions.RECEIVED).hasSize(5).allMatch(e -> e.getId().equals(id));
    assertThat(scheduler.delays())
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8));
    assertThat(endpoint.stats(SUBSCRIPTION)).isEqualTo(new DeliveryStats(5, 0, 4, 1));
    assertThat(PairMessage.parse(deadLetter.message())).isEqualTo(PairMessage.parse(message));
  }

  @Test
  void functionFailingTwice_isAckedOnThirdDelivery_andNotDeadLettered() throws Exception {
    subscribe(TestFunctions.FailingTwice.class, 5);

    endpoint.publish(TOPIC, PairMessage.of(null, Pair.parse("usdjpy"), 1).toBusMessage());

    await().atMost(20, TimeUnit.SECONDS).until(() -> endpoint.stats(SUBSCRIPTION).acked() == 1);
    assertThat(endpoint.stats(SUBSCRIPTION)).isEqualTo(new DeliveryStats(3, 1, 2, 0));
    assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(TestFunctions.RECEIVED).hasSize(3);
    List<Integer> attempts = new ArrayList<>();
    for (CloudEvent event : TestFunctions.RECEIVED) {
      attempts.add(readEventarcData(event).path("deliveryAttempt").asInt());
    }
    assertThat(attempts)
        .as("Pub/Sub counts deliveries in deliveryAttempt")
        .containsExactly(1, 2, 3);
    assertThat(endpoint.pull(DEAD_LETTER_PULL, 10)).isEmpty();
  }

  @Test
  void defaultRealTimeScheduler_redeliversAfterBackoff() throws Exception {
    LocalPubSubEndpoint realTime = open(LocalPubSubEndpoint.start(PROJECT));
    realTime.createTopic(TOPIC);
    realTime.createTopic(DEAD_LETTERS);
    LocalFunctionHost host = open(LocalFunctionHost.start(TestFunctions.FailingTwice.class));
    realTime.addPushSubscription(
        PushSubscription.of(TOPIC, SUBSCRIPTION, host.url(), DEAD_LETTERS)
            .withFormat(PushFormat.EVENTARC)
            .withRetryPolicy(new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(40))));

    realTime.publish(TOPIC, new BusMessage(new byte[0], Map.of("pair", "eurusd")));

    await().atMost(20, TimeUnit.SECONDS).until(() -> realTime.stats(SUBSCRIPTION).acked() == 1);
    assertThat(realTime.stats(SUBSCRIPTION)).isEqualTo(new DeliveryStats(3, 1, 2, 0));
  }

  @Test
  void unreachablePushEndpoint_isRetriedThenDeadLettered() throws Exception {
    URI closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
    }
    endpoint.addPushSubscription(
        PushSubscription.of(TOPIC, SUBSCRIPTION, closedPort, DEAD_LETTERS)
            .withRetryPolicy(new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(250)))
            .withMaxDeliveryAttempts(4));

    endpoint.publish(TOPIC, new BusMessage(new byte[0], Map.of("pair", "eurusd")));

    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> endpoint.stats(SUBSCRIPTION).deadLettered() == 1);
    assertThat(endpoint.stats(SUBSCRIPTION)).isEqualTo(new DeliveryStats(4, 0, 3, 1));
    assertThat(scheduler.delays())
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
    assertThat(endpoint.pull(DEAD_LETTER_PULL, 10)).hasSize(1);
  }

  @Test
  void deliveries_runConcurrently() throws Exception {
    TestFunctions.rendezvousOf(3);
    subscribe(TestFunctions.Rendezvous.class, 1);

    for (String pair : List.of("eurusd", "gbpusd", "audusd")) {
      endpoint.publish(TOPIC, new BusMessage(new byte[0], Map.of("pair", pair)));
    }

    // The function succeeds only when all three deliveries are inside it together.
    await().atMost(30, TimeUnit.SECONDS).until(() -> endpoint.stats(SUBSCRIPTION).acked() == 3);
    assertThat(endpoint.stats(SUBSCRIPTION)).isEqualTo(new DeliveryStats(3, 3, 0, 0));
  }

  @Test
  void attributeFilter_deliversOnlyMatchingMessages() throws Exception {
    LocalFunctionHost host = open(LocalFunctionHost.start(TestFunctions.Accepting.class));
    endpoint.addPushSubscription(
        PushSubscription.of(TOPIC, SUBSCRIPTION, host.url(), DEAD_LETTERS)
            .withFormat(PushFormat.EVENTARC)
            .withAttributeFilter(Map.of("kind", "pair")));

    endpoint.publish(TOPIC, new BusMessage(new byte[0], Map.of("kind", "stage", "pair", "eurusd")));
    endpoint.publish(TOPIC, PairMessage.of(null, Pair.parse("gbpusd"), 1).toBusMessage());

    await().atMost(20, TimeUnit.SECONDS).until(() -> endpoint.stats(SUBSCRIPTION).acked() == 1);
    assertThat(endpoint.stats(SUBSCRIPTION).delivered()).isEqualTo(1);
    assertThat(TestFunctions.RECEIVED).hasSize(1);
    assertThat(PairMessage.parse(busMessageOf(TestFunctions.RECEIVED.get(0))).pair())
        .isEqualTo(Pair.parse("gbpusd"));
  }

  @Test
  void listener_receivesEachMessageOfItsTopic() throws Exception {
    List<PublishedMessage> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    endpoint.addListener(TOPIC, "bqx-observer", heard::add);

    String id = endpoint.publish(TOPIC, new BusMessage(new byte[0], Map.of("pair", "eurusd")));

    await().atMost(20, TimeUnit.SECONDS).until(() -> heard.size() == 1);
    assertThat(heard.get(0).messageId()).isEqualTo(id);
    assertThat(heard.get(0).message().attributes()).containsEntry("pair", "eurusd");
  }

  private void subscribe(Class<?> function, int maxDeliveryAttempts) throws IOException {
    LocalFunctionHost host = open(LocalFunctionHost.start(function));
    endpoint.addPushSubscription(
        PushSubscription.of(TOPIC, SUBSCRIPTION, host.url(), DEAD_LETTERS)
            .withFormat(PushFormat.EVENTARC)
            .withRetryPolicy(new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60)))
            .withMaxDeliveryAttempts(maxDeliveryAttempts));
  }

  private List<String> publishWithRealClient(BusMessage... messages) throws Exception {
    EmulatorClients clients = open(new EmulatorClients(endpoint.hostPort()));
    Publisher publisher = clients.publisher(PROJECT, TOPIC);
    try {
      List<com.google.api.core.ApiFuture<String>> futures = new ArrayList<>();
      for (BusMessage message : messages) {
        futures.add(
            publisher.publish(
                PubsubMessage.newBuilder()
                    .setData(ByteString.copyFrom(message.data()))
                    .putAllAttributes(message.attributes())
                    .build()));
      }
      List<String> ids = new ArrayList<>();
      for (var future : futures) {
        ids.add(future.get(20, TimeUnit.SECONDS));
      }
      return ids;
    } finally {
      publisher.shutdown();
      publisher.awaitTermination(20, TimeUnit.SECONDS);
    }
  }

  /** The event's MessagePublishedData, read as a JSON tree (it carries both spellings). */
  static JsonNode readEventarcData(CloudEvent event) throws IOException {
    return Json.MAPPER.readTree(event.getData().toBytes());
  }

  private static BusMessage busMessageOf(CloudEvent event) throws IOException {
    JsonNode message = readEventarcData(event).path("message");
    Map<String, String> attributes = new java.util.LinkedHashMap<>();
    message
        .path("attributes")
        .properties()
        .forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
    return new BusMessage(Base64.getDecoder().decode(message.path("data").asText("")), attributes);
  }

  private <T extends AutoCloseable> T open(T resource) {
    opened.add(resource);
    return resource;
  }
}

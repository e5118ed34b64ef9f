package ml.bqx.gcp.pubsub;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.port.Adapters;
import ml.bqx.core.port.EventPublisher;
import ml.bqx.wire.pubsub.FakePublisherService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PubSubEventPublisherTest {
  private final FakePublisherService pubsub = new FakePublisherService();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).addService(pubsub).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private PubSubEventPublisher publisher(Duration timeout) {
    return new PubSubEventPublisher(
        "p1",
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)),
        NoCredentialsProvider.create(),
        timeout);
  }

  private static BusMessage message(String body, Map<String, String> attributes) {
    return new BusMessage(body.getBytes(UTF_8), attributes);
  }

  @Test
  void publish_deliversDataAndAttributesToTheTopic_andReturnsTheMessageId() throws IOException {
    String id;
    try (PubSubEventPublisher publisher = publisher(Duration.ofSeconds(30))) {
      id =
          publisher.publish(
              "bqx-pairs", message("{\"pair\":\"gbpusd\"}", Map.of("pair", "gbpusd")));
    }

    assertThat(id).isEqualTo("id-1");
    assertThat(pubsub.received).hasSize(1);
    assertThat(pubsub.received.get(0).topic()).isEqualTo("projects/p1/topics/bqx-pairs");
    assertThat(pubsub.received.get(0).message().getData().toStringUtf8())
        .isEqualTo("{\"pair\":\"gbpusd\"}");
    assertThat(pubsub.received.get(0).message().getAttributesMap())
        .containsExactlyEntriesOf(Map.of("pair", "gbpusd"));
  }

  @Test
  void publish_manyMessagesToTwoTopics_everyMessageArrivesOnce() throws IOException {
    Set<String> ids = new HashSet<>();
    try (PubSubEventPublisher publisher = publisher(Duration.ofSeconds(30))) {
      for (int i = 0; i < 20; i++) {
        ids.add(publisher.publish("bqx-pairs", message("p" + i, Map.of("n", "" + i))));
        ids.add(publisher.publish("bqx-stage-events", message("e" + i, Map.of())));
      }
    }

    assertThat(ids).hasSize(40);
    List<String> pairs =
        pubsub.received.stream()
            .filter(r -> r.topic().equals("projects/p1/topics/bqx-pairs"))
            .map(r -> r.message().getData().toStringUtf8() + "/" + r.message().getAttributesMap())
            .toList();
    assertThat(pairs).hasSize(20).contains("p0/{n=0}", "p19/{n=19}");
    assertThat(pubsub.received)
        .filteredOn(r -> r.topic().equals("projects/p1/topics/bqx-stage-events"))
        .hasSize(20);
  }

  @Test
  void publish_whenPubSubRefuses_failsNamingTheTopic() {
    pubsub.refuse = Status.NOT_FOUND.withDescription("Resource not found (resource=nope)");
    try (PubSubEventPublisher publisher = publisher(Duration.ofSeconds(30))) {
      IOException e =
          assertThrows(IOException.class, () -> publisher.publish("nope", message("x", Map.of())));
      assertThat(e.getMessage()).startsWith("publish to projects/p1/topics/nope failed:");
    }
  }

  @Test
  void publish_withoutAnAnswer_failsAfterTheBoundedWait() {
    pubsub.silent = true;
    PubSubEventPublisher publisher = publisher(Duration.ofMillis(300));

    IOException e =
        assertThrows(IOException.class, () -> publisher.publish("quiet", message("x", Map.of())));

    assertThat(e.getMessage())
        .isEqualTo("publish to projects/p1/topics/quiet got no message id within 300 ms");
    pubsub.release();
    publisher.close();
  }

  @Test
  void publish_toABadTopicId_isRefused() {
    try (PubSubEventPublisher publisher = publisher(Duration.ofSeconds(30))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> publisher.publish("a/b", message("x", Map.of())));
      assertThat(e.getMessage()).startsWith("'a/b' is not a Pub/Sub topic id");
    }
  }

  @Test
  void provider_withEmulatorHost_publishesPlaintextToThatEndpoint() throws Exception {
    Server loopback =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(pubsub)
            .build()
            .start();
    try {
      BqxConfig config =
          BqxConfig.from(Map.of("PUBSUB_EMULATOR_HOST", "127.0.0.1:" + loopback.getPort()));
      try (EventPublisher publisher =
          Adapters.eventPublisher(URI.create("pubsub://local"), config)) {
        publisher.publish("bqx-stage-events", message("event", Map.of("stage", "JOB")));
      }
    } finally {
      loopback.shutdownNow();
    }

    assertThat(pubsub.received).hasSize(1);
    assertThat(pubsub.received.get(0).topic()).isEqualTo("projects/local/topics/bqx-stage-events");
    assertThat(pubsub.received.get(0).message().getAttributesMap()).containsEntry("stage", "JOB");
  }

  @Test
  void provider_refusesAUriWithoutProject() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Adapters.eventPublisher(URI.create("pubsub:///x"), BqxConfig.from(Map.of())));
    assertThat(e.getMessage())
        .isEqualTo("'pubsub:///x' names no project: expected pubsub://PROJECT");
  }
}

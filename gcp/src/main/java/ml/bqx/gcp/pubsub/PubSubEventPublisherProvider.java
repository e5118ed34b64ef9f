package ml.bqx.gcp.pubsub;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.port.EventPublisher;
import ml.bqx.core.port.EventPublisherProvider;

/**
 * Opens {@link PubSubEventPublisher} for {@code pubsub://PROJECT}. With PUBSUB_EMULATOR_HOST set it
 * talks plaintext to that host:port without credentials, as Google's clients do for the emulator:
 * that is how the job and the functions reach the local Pub/Sub endpoint.
 */
public final class PubSubEventPublisherProvider implements EventPublisherProvider {
  static final String SCHEME = "pubsub";
  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(60);

  @Override
  public String scheme() {
    return SCHEME;
  }

  @Override
  public EventPublisher open(URI uri, BqxConfig config) {
    String project = uri.getAuthority();
    if (project == null || project.isBlank()) {
      throw new IllegalArgumentException(
          "'" + uri + "' names no project: expected pubsub://PROJECT");
    }
    String emulator = config.get(EnvKey.PUBSUB_EMULATOR_HOST);
    if (emulator.isBlank()) {
      return new PubSubEventPublisher(project, null, null, PUBLISH_TIMEOUT);
    }
    ManagedChannel channel = ManagedChannelBuilder.forTarget(emulator).usePlaintext().build();
    PubSubEventPublisher publisher =
        new PubSubEventPublisher(
            project,
            FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)),
            NoCredentialsProvider.create(),
            PUBLISH_TIMEOUT);
    return new ChannelClosing(publisher, channel);
  }

  /** Closes the emulator channel after the publishers flushed through it. */
  private record ChannelClosing(PubSubEventPublisher publisher, ManagedChannel channel)
      implements EventPublisher {
    @Override
    public String publish(String topic, BusMessage message) throws java.io.IOException {
      return publisher.publish(topic, message);
    }

    @Override
    public void close() {
      publisher.close();
      channel.shutdown();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

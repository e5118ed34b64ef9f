package ml.bqx.local.pubsub;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The real google-cloud-pubsub clients pointed at an endpoint as Google documents for the emulator:
 * a plaintext channel to PUBSUB_EMULATOR_HOST and no credentials.
 */
public final class EmulatorClients implements AutoCloseable {
  private final ManagedChannel channel;
  private final TransportChannelProvider channels;

  public EmulatorClients(String hostPort) {
    channel = ManagedChannelBuilder.forTarget(hostPort).usePlaintext().build();
    channels = FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
  }

  public Publisher publisher(String project, String topic) throws IOException {
    return Publisher.newBuilder(TopicName.of(project, topic))
        .setChannelProvider(channels)
        .setCredentialsProvider(NoCredentialsProvider.create())
        .build();
  }

  public TopicAdminClient topicAdmin() throws IOException {
    return TopicAdminClient.create(
        TopicAdminSettings.newBuilder()
            .setTransportChannelProvider(channels)
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}

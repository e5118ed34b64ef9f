package ml.bqx.gcp.pubsub;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.port.EventPublisher;

/**
 * Publishes bus messages to Pub/Sub topics of one project with google-cloud-pubsub's {@link
 * Publisher}: one cached publisher per topic, each publish awaited until Pub/Sub returns its id.
 */
public final class PubSubEventPublisher implements EventPublisher {
  /** Pub/Sub's own rule for topic ids. */
  private static final Pattern TOPIC_ID = Pattern.compile("[A-Za-z][A-Za-z0-9._~+%-]{2,254}");

  private static final Duration MIN_TOTAL = Duration.ofSeconds(10);

  private final String project;
  private final TransportChannelProvider transport;
  private final CredentialsProvider credentials;
  private final Duration publishTimeout;
  private final Map<String, Publisher> publishers = new ConcurrentHashMap<>();

  /**
   * A publisher for the project's topics over this transport and credentials; null for both means
   * Google's endpoint with application default credentials.
   */
  public PubSubEventPublisher(
      String project,
      TransportChannelProvider transport,
      CredentialsProvider credentials,
      Duration publishTimeout) {
    if (project == null || project.isBlank()) {
      throw new IllegalArgumentException("a Pub/Sub publisher needs a project id");
    }
    this.project = project;
    this.transport = transport;
    this.credentials = credentials;
    this.publishTimeout = publishTimeout;
  }

  @Override
  public String publish(String topic, BusMessage message) throws IOException {
    TopicName name = topicName(topic);
    PubsubMessage pubsub =
        PubsubMessage.newBuilder()
            .setData(ByteString.copyFrom(message.data()))
            .putAllAttributes(message.attributes())
            .build();
    try {
      return publisher(name).publish(pubsub).get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IOException("publish to " + name + " failed: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new IOException(
          "publish to " + name + " got no message id within " + publishTimeout.toMillis() + " ms",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted publishing to " + name, e);
    }
  }

  /** Flushes what is batched and stops every publisher. */
  @Override
  public void close() {
    for (Publisher publisher : publishers.values()) {
      publisher.shutdown();
    }
    for (Publisher publisher : publishers.values()) {
      try {
        publisher.awaitTermination(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    publishers.clear();
  }

  private TopicName topicName(String topic) {
    if (topic == null || !TOPIC_ID.matcher(topic).matches() || topic.startsWith("goog")) {
      throw new IllegalArgumentException(
          "'"
              + topic
              + "' is not a Pub/Sub topic id: 3-255 letters, digits or -_.~+%, from a letter");
    }
    return TopicName.of(project, topic);
  }

  private Publisher publisher(TopicName name) throws IOException {
    try {
      return publishers.computeIfAbsent(name.getTopic(), topic -> build(name));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Retries bounded by the publish timeout (at least the client's minimum of 10 s), so a hung
   * endpoint cannot hold a publish, or the flush in {@link #close}, for ever.
   */
  private RetrySettings retrySettings() {
    Duration total = publishTimeout.compareTo(MIN_TOTAL) < 0 ? MIN_TOTAL : publishTimeout;
    return RetrySettings.newBuilder()
        .setInitialRetryDelayDuration(Duration.ofMillis(100))
        .setRetryDelayMultiplier(2)
        .setMaxRetryDelayDuration(Duration.ofSeconds(5))
        .setInitialRpcTimeoutDuration(total)
        .setRpcTimeoutMultiplier(1)
        .setMaxRpcTimeoutDuration(total)
        .setTotalTimeoutDuration(total)
        .build();
  }

  private Publisher build(TopicName name) {
    try {
      Publisher.Builder builder = Publisher.newBuilder(name).setRetrySettings(retrySettings());
      if (transport != null) {
        builder.setChannelProvider(transport);
      }
      if (credentials != null) {
        builder.setCredentialsProvider(credentials);
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException(
          new IOException("cannot open a publisher for " + name + ": " + e.getMessage(), e));
    }
  }
}

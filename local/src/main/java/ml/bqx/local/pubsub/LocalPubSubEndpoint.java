package ml.bqx.local.pubsub;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import ml.bqx.core.message.BusMessage;

/**
 * A local stand-in for Pub/Sub: an in-process gRPC server on 127.0.0.1 speaking the Publisher API
 * (so the real google-cloud-pubsub {@code Publisher} publishes to it as to the official emulator,
 * with {@code PUBSUB_EMULATOR_HOST=}{@link #hostPort()}), and push subscriptions that deliver each
 * message as an Eventarc CloudEvent with retry backoff, max delivery attempts and a dead-letter
 * topic. Messages live in memory only; {@link #close()} stops every thread it started.
 */
public final class LocalPubSubEndpoint implements AutoCloseable {
  private static final String THREADS = "bqx-pubsub";

  private final String project;
  private final Clock clock;
  private final Duration pushTimeout;
  private final RetryScheduler scheduler;
  private final RealTimeRetryScheduler ownScheduler;
  private final ExecutorService deliveries;
  private final ExecutorService httpExecutor;
  private final HttpClient http;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Server server;
  private final Map<String, List<TopicSubscriber>> topics = new ConcurrentHashMap<>();
  private final Map<String, TopicSubscriber> subscriptions = new ConcurrentHashMap<>();
  private final AtomicLong nextMessageId = new AtomicLong(1);
  private volatile boolean closed;

  private LocalPubSubEndpoint(Builder builder) throws IOException {
    project = builder.project;
    clock = builder.clock;
    pushTimeout = builder.pushTimeout;
    ownScheduler =
        builder.scheduler == null ? new RealTimeRetryScheduler(THREADS + "-retry") : null;
    scheduler = builder.scheduler == null ? ownScheduler : builder.scheduler;
    deliveries =
        Executors.newFixedThreadPool(
            builder.deliveryThreads, NamedThreads.factory(THREADS + "-delivery"));
    httpExecutor = Executors.newCachedThreadPool(NamedThreads.factory(THREADS + "-http"));
    http =
        HttpClient.newBuilder()
            .executor(httpExecutor)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(pushTimeout)
            .build();
    boss = new NioEventLoopGroup(1, NamedThreads.factory(THREADS + "-grpc-boss"));
    workers = new NioEventLoopGroup(2, NamedThreads.factory(THREADS + "-grpc-worker"));
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .channelType(NioServerSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            // Publishing only enqueues deliveries: no need for another thread pool.
            .directExecutor()
            .addService(new PublisherService(this))
            .build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Starts an endpoint for {@code project} with real-time backoff and default settings. */
  public static LocalPubSubEndpoint start(String project) throws IOException {
    return builder(project).start();
  }

  public static Builder builder(String project) {
    return new Builder(project);
  }

  /** The project whose topics this endpoint serves. */
  public String project() {
    return project;
  }

  /** {@code 127.0.0.1:PORT}: the value for {@code PUBSUB_EMULATOR_HOST}. */
  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  public int port() {
    return server.getPort();
  }

  /** Creates a topic; returns false if it already existed (a local run may set up twice). */
  public boolean createTopic(String topic) {
    PushSubscription.requireId("topic", topic);
    return topics.putIfAbsent(topic, new CopyOnWriteArrayList<>()) == null;
  }

  public boolean topicExists(String topic) {
    return topics.containsKey(topic);
  }

  /** Publishes in process, as the gRPC API does; returns the message id. */
  public String publish(String topic, BusMessage message) {
    return publish(topic, message, "");
  }

  String publish(String topic, BusMessage message, String orderingKey) {
    Objects.requireNonNull(message, "message");
    if (closed) {
      throw new IllegalStateException("the local Pub/Sub endpoint is closed");
    }
    List<TopicSubscriber> subscribers = subscribersOf(topic);
    PublishedMessage published =
        new PublishedMessage(
            topic,
            Long.toString(nextMessageId.getAndIncrement()),
            clock.instant(),
            message,
            orderingKey);
    subscribers.forEach(s -> s.offer(published));
    return published.messageId();
  }

  /** Adds a push subscription; its topic and dead-letter topic must exist. */
  public void addPushSubscription(PushSubscription subscription) {
    subscribersOf(subscription.deadLetterTopic());
    attach(
        subscription.topic(),
        new PushDelivery(
            project,
            subscription,
            http,
            pushTimeout,
            deliveries,
            scheduler,
            (deadLetterTopic, message) -> publish(deadLetterTopic, message)));
  }

  /**
   * Points a push subscription at another URL, as Pub/Sub's ModifyPushConfig does: messages waiting
   * for a redelivery go there too.
   */
  public void modifyPushEndpoint(String subscription, URI pushEndpoint) {
    if (!(subscriptions.get(subscription) instanceof PushDelivery push)) {
      throw new IllegalArgumentException(
          "'" + subscription + "' is not a push subscription of this endpoint");
    }
    push.modifyPushEndpoint(pushEndpoint);
  }

  /** Adds a subscription whose messages wait for {@link #pull}: e.g. on a dead-letter topic. */
  public void addPullSubscription(String topic, String subscription) {
    PushSubscription.requireId("subscription", subscription);
    attach(topic, new PullSubscription(subscription));
  }

  /** Takes up to {@code maxMessages} messages of a pull subscription, oldest first. */
  public List<PublishedMessage> pull(String subscription, int maxMessages) {
    if (!(subscriptions.get(subscription) instanceof PullSubscription pull)) {
      throw new IllegalArgumentException(
          "'" + subscription + "' is not a pull subscription of this endpoint");
    }
    if (maxMessages < 1) {
      throw new IllegalArgumentException("max messages must be 1 or more, not " + maxMessages);
    }
    return pull.pull(maxMessages);
  }

  /**
   * Adds a subscription that hands each message to {@code listener} on a delivery thread, once; a
   * listener that throws is logged, not retried.
   */
  public void addListener(String topic, String subscription, Consumer<PublishedMessage> listener) {
    PushSubscription.requireId("subscription", subscription);
    Objects.requireNonNull(listener, "listener");
    attach(topic, new ListenerSubscription(subscription, listener, deliveries));
  }

  /** What a push subscription did so far. */
  public DeliveryStats stats(String subscription) {
    if (!(subscriptions.get(subscription) instanceof PushDelivery push)) {
      throw new IllegalArgumentException(
          "'" + subscription + "' is not a push subscription of this endpoint");
    }
    return push.stats();
  }

  private void attach(String topic, TopicSubscriber subscriber) {
    List<TopicSubscriber> subscribers = subscribersOf(topic);
    if (subscriptions.putIfAbsent(subscriber.name(), subscriber) != null) {
      throw new IllegalArgumentException("subscription '" + subscriber.name() + "' already exists");
    }
    subscribers.add(subscriber);
  }

  private List<TopicSubscriber> subscribersOf(String topic) {
    List<TopicSubscriber> subscribers = topic == null ? null : topics.get(topic);
    if (subscribers == null) {
      throw new IllegalArgumentException(
          "topic '"
              + topic
              + "' does not exist on the local Pub/Sub endpoint of project "
              + project);
    }
    return subscribers;
  }

  /** Stops the server, the deliveries and the retry timer; undelivered messages are dropped. */
  @Override
  public void close() {
    closed = true;
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownScheduler != null) {
      ownScheduler.close();
    }
    NamedThreads.stop(deliveries);
    NamedThreads.stop(httpExecutor);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Settings of an endpoint; every one has a default. */
  public static final class Builder {
    private final String project;
    private Clock clock = Clock.systemUTC();
    private RetryScheduler scheduler;

    /** How many pushes may be in flight at once, over all subscriptions. */
    private final int deliveryThreads = 8;

    /** How long a push may take before it counts as failed. */
    private final Duration pushTimeout = Duration.ofSeconds(60);

    private Builder(String project) {
      if (project == null || !project.matches("[a-z][a-z0-9-]{4,28}[a-z0-9]")) {
        throw new IllegalArgumentException(
            "project id '"
                + project
                + "' is invalid: 6-30 lower-case letters, digits or hyphens, starting with a letter");
      }
      this.project = project;
    }

    /** The clock of publish times. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs redeliveries after their backoff (default: a real-time timer the endpoint owns). */
    public Builder retryScheduler(RetryScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    public LocalPubSubEndpoint start() throws IOException {
      return new LocalPubSubEndpoint(this);
    }
  }
}

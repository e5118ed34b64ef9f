package ml.bqx.local.cloud;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.message.BusMessage;
import ml.bqx.local.pubsub.LocalPubSubEndpoint;
import ml.bqx.local.pubsub.PushSubscription;
import ml.bqx.local.pubsub.RetryPolicy;

/**
 * The cloud of a local run, built from the table terraform is checked against ({@link Deployment}):
 * a Pub/Sub endpoint on loopback holding every topic and the dead-letter topic's pull subscription;
 * the functions in a child JVM, each pushed from its topic by its push subscription, the JVM
 * restarted if it dies; and, once started, the reconcile tick Cloud Scheduler sends in the cloud.
 */
public final class LocalCloud implements AutoCloseable {
  /** Local pushes retry after 1 to 10 s, not the cloud's 10 to 600 s: a local run is minutes. */
  static final RetryPolicy PUSH_RETRY =
      new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(10));

  /** Deliveries before the dead-letter topic: terraform's default (var.max_delivery_attempts). */
  static final int MAX_DELIVERY_ATTEMPTS = 10;

  private final LocalPubSubEndpoint endpoint;
  private final FunctionHostSupervisor functions;
  private final Map<String, String> environment;
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bqx-reconcile-tick");
            t.setDaemon(true);
            return t;
          });

  private LocalCloud(
      LocalPubSubEndpoint endpoint,
      FunctionHostSupervisor functions,
      Map<String, String> environment) {
    this.endpoint = endpoint;
    this.functions = functions;
    this.environment = environment;
  }

  /**
   * Starts the endpoint of {@code project} with the deployment's topics, then hosts {@code
   * functions} (the deployment's, or stand-ins with the same topics) with {@code environment} and
   * the endpoint's address and topics added; the host's log goes to {@code log}. A host that dies
   * is restarted, each time said in one line to {@code notices}; see {@link #failure}.
   */
  public static LocalCloud start(
      String project,
      List<Deployment.Function> functions,
      Map<String, String> environment,
      Path log,
      Consumer<String> notices)
      throws IOException {
    LocalPubSubEndpoint endpoint = LocalPubSubEndpoint.start(project);
    try {
      Deployment.TOPICS.forEach(endpoint::createTopic);
      endpoint.addPullSubscription(
          Deployment.DEAD_LETTER_TOPIC, Deployment.DEAD_LETTER_SUBSCRIPTION);
      Map<String, String> env = new LinkedHashMap<>(environment);
      env.put(EnvKey.PUBSUB_EMULATOR_HOST.name(), endpoint.hostPort());
      env.put(EnvKey.BQX_PAIRS_TOPIC.name(), Deployment.PAIRS_TOPIC);
      env.put(EnvKey.BQX_EVENTS_TOPIC.name(), Deployment.EVENTS_TOPIC);
      FunctionHostSupervisor host = FunctionHostSupervisor.start(functions, env, log, notices);
      for (Deployment.Function function : functions) {
        endpoint.addPushSubscription(
            PushSubscription.of(
                    function.topic(),
                    function.subscription(),
                    host.url(function),
                    Deployment.DEAD_LETTER_TOPIC)
                .withRetryPolicy(PUSH_RETRY)
                .withMaxDeliveryAttempts(MAX_DELIVERY_ATTEMPTS));
      }
      host.watch(endpoint);
      return new LocalCloud(endpoint, host, Map.copyOf(env));
    } catch (IOException | RuntimeException e) {
      endpoint.close();
      throw e;
    }
  }

  /** {@code 127.0.0.1:PORT} of its Pub/Sub endpoint ({@code PUBSUB_EMULATOR_HOST}). */
  public String pubsubHost() {
    return endpoint.hostPort();
  }

  /** What the functions run with: the given environment, the endpoint and its topics. */
  public Map<String, String> environment() {
    return environment;
  }

  /** Why the functions are down for good (their host kept dying), once they are. */
  public Optional<String> failure() {
    return functions.gaveUp();
  }

  /** Hands every message of a topic to {@code listener}, through a subscription of its own. */
  public void listen(String topic, String subscription, Consumer<BusMessage> listener) {
    endpoint.addListener(topic, subscription, published -> listener.accept(published.message()));
  }

  /** Publishes an empty message to the reconcile topic every period, as Cloud Scheduler does. */
  public void startReconcileTick(Duration every) {
    ticker.scheduleWithFixedDelay(
        () -> endpoint.publish(Deployment.RECONCILE_TOPIC, new BusMessage(new byte[0], Map.of())),
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops the tick, the function host and the endpoint. */
  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      functions.close();
    } finally {
      endpoint.close();
    }
  }
}

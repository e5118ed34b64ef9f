package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatch function hosted as Cloud Functions hosts it: the invoker's handler on a Jetty on
 * 127.0.0.1, receiving Pub/Sub pushes as binary-mode Eventarc CloudEvents over HTTP.
 */
class LoopbackInvokerTest {
  @TempDir Path dir;
  private Harness h;
  private Server server;
  private URI endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    h = new Harness(dir, 8);
    HostedFunctions.Dispatch.target = h.dispatch;
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(BackgroundFunctionExecutor.forClass(HostedFunctions.Dispatch.class));
    server.start();
    endpoint = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  private HttpResponse<String> push(String id, byte[] body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .header("ce-specversion", "1.0")
            .header("ce-id", id)
            .header("ce-source", "//pubsub.googleapis.com/projects/bqx-test/topics/bqx-pairs")
            .header("ce-type", "google.cloud.pubsub.topic.v1.messagePublished")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pushedPairMessage_launchesOnce_andABadOneIsAcked() throws Exception {
    RunId run = RunId.of("loopback");
    Pair pair = Pair.parse("audjpy");
    h.control.create(run, java.util.List.of(pair), new RunSettings(4, 3, 0));
    BusMessage message = PairMessage.of(run, pair, 1).toBusMessage();

    HttpResponse<String> first = push("1", Harness.eventarcBody(message, "1", "bqx-pairs"));
    HttpResponse<String> again = push("1", Harness.eventarcBody(message, "1", "bqx-pairs"));
    HttpResponse<String> bad =
        push(
            "2",
            Harness.eventarcBody(
                new BusMessage(new byte[0], Map.of("pair", "usdusd")), "2", "bqx-pairs"));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(bad.statusCode()).as("a bad message is acked").isEqualTo(200);
    assertThat(h.launcher.launches()).hasSize(1);
    assertThat(h.ledger(run).pair(pair).orElseThrow().state()).isEqualTo(PairState.RUNNING);
    assertThat(h.publisher.on(Harness.EVENTS))
        .singleElement()
        .satisfies(p -> assertThat(p.message().dataAsString()).contains("usdusd"));
  }

  /** The push entry point as the invoker hosts an HTTP function, forwarding to the harness. */
  public static final class HostedPush extends PubSubPushFunction {
    static volatile PubSubFunction target;

    public HostedPush() {
      super(target);
    }
  }

  /**
   * Pub/Sub's own push body, as a terraform-owned push subscription posts it, with no CloudEvent
   * headers (https://cloud.google.com/pubsub/docs/push#receive_push: the message and the
   * subscription), with both spellings of the id and time, as Google sends them.
   */
  private static String rawPush(BusMessage message, String id) throws Exception {
    return "{\"message\":{\"attributes\":"
        + ml.bqx.core.json.Json.MAPPER.writeValueAsString(message.attributes())
        + ",\"data\":\""
        + java.util.Base64.getEncoder().encodeToString(message.data())
        + "\",\"messageId\":\""
        + id
        + "\",\"message_id\":\""
        + id
        + "\",\"publishTime\":\"2026-11-28T09:00:00.123Z\""
        + ",\"publish_time\":\"2026-11-28T09:00:00.123Z\"},"
        + "\"subscription\":\"projects/bqx-test/subscriptions/bqx-dispatch-push\"}";
  }

  private HttpResponse<String> post(URI to, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(to)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rawPush_toTheCloudEventsFunction_failsInTheInvoker_soPushGoesThroughPubSubPush()
      throws Exception {
    RunId run = RunId.of("raw-push");
    Pair pair = Pair.parse("cadjpy");
    h.control.create(run, java.util.List.of(pair), new RunSettings(4, 3, 0));

    HttpResponse<String> response =
        post(endpoint, rawPush(PairMessage.of(run, pair, 1).toBusMessage(), "77"));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(h.launcher.launches()).isEmpty();
  }

  /** Hosts {@link HostedPush} over {@code target} as the invoker hosts an HTTP function. */
  private Server hostPush(PubSubFunction target) throws Exception {
    HostedPush.target = target;
    Server push = new Server();
    ServerConnector connector = new ServerConnector(push);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    push.addConnector(connector);
    push.setHandler(
        com.google.cloud.functions.invoker.HttpFunctionExecutor.forClass(HostedPush.class));
    push.start();
    return push;
  }

  private static URI url(Server server) {
    return URI.create(
        "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/");
  }

  @Test
  void rawPush_toThePushEntryPoint_launchesOnce_badRequestsGet4xx() throws Exception {
    RunId run = RunId.of("raw-push");
    Pair pair = Pair.parse("cadjpy");
    h.control.create(run, java.util.List.of(pair), new RunSettings(4, 3, 0));
    Server push = hostPush(h.dispatch);
    try {
      URI to = url(push);
      String body = rawPush(PairMessage.of(run, pair, 1).toBusMessage(), "77");

      HttpResponse<String> first = post(to, body);
      HttpResponse<String> again = post(to, body);
      HttpResponse<String> notAPush = post(to, "{\"hello\":1}");
      HttpResponse<String> get =
          http.send(HttpRequest.newBuilder(to).GET().build(), HttpResponse.BodyHandlers.ofString());

      assertThat(first.statusCode()).as(first.body()).isEqualTo(204);
      assertThat(again.statusCode()).isEqualTo(204);
      assertThat(h.launcher.launches()).hasSize(1);
      assertThat(h.ledger(run).pair(pair).orElseThrow().state()).isEqualTo(PairState.RUNNING);
      assertThat(notAPush.statusCode()).isEqualTo(400);
      assertThat(notAPush.body())
          .isEqualTo("not a Pub/Sub message: data has no \"message\" object\n");
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(get.body().lines()).singleElement().asString().contains("only POST");
    } finally {
      push.stop();
    }
  }

  @Test
  void rawPush_transientStoreFailure_answers500SoPubSubRetries() throws Exception {
    java.nio.file.Path blocked = java.nio.file.Files.writeString(dir.resolve("blocked"), "x");
    Server push = hostPush(new DispatchFunction(blockedContext(blocked)));
    try {
      BusMessage adHoc =
          new BusMessage("{\"pair\":\"eurusd\"}".getBytes(StandardCharsets.UTF_8), Map.of());
      HttpResponse<String> broken = post(url(push), rawPush(adHoc, "78"));

      assertThat(broken.statusCode()).as("Pub/Sub retries a 500").isEqualTo(500);
      assertThat(h.launcher.launches()).isEmpty();
    } finally {
      push.stop();
    }
  }

  private ml.bqx.core.control.ControlContext blockedContext(java.nio.file.Path blocked) {
    return new ml.bqx.core.control.ControlContext(
        h.store,
        blocked.toUri(),
        h.launcher,
        h.publisher,
        h.context.verifier(),
        h.clock,
        h.context.settings());
  }

  @Test
  void transientStoreFailure_answers500SoPubSubRetries() throws Exception {
    java.nio.file.Path blocked = java.nio.file.Files.writeString(dir.resolve("blocked"), "x");
    HostedFunctions.Dispatch.target = new DispatchFunction(blockedContext(blocked));
    BusMessage message =
        new BusMessage("{\"pair\":\"eurusd\"}".getBytes(StandardCharsets.UTF_8), Map.of());

    HttpResponse<String> response = push("3", Harness.eventarcBody(message, "3", "bqx-pairs"));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(h.launcher.launches()).isEmpty();
  }
}

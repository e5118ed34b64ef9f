package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import io.cloudevents.CloudEvent;
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
  /** The invoker instantiates the class by its no-arg constructor: this one forwards. */
  public static final class HostedDispatch implements CloudEventsFunction {
    static volatile DispatchFunction target;

    @Override
    public void accept(CloudEvent event) throws Exception {
      target.accept(event);
    }
  }

  @TempDir Path dir;
  private Harness h;
  private Server server;
  private URI endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    h = new Harness(dir, 8);
    HostedDispatch.target = h.dispatch;
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(BackgroundFunctionExecutor.forClass(HostedDispatch.class));
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
  public static final class HostedPush extends PubSubPush {
    public HostedPush() {
      super(event -> HostedDispatch.target.accept(event));
    }
  }

  /**
   * Pub/Sub's own push body, as a terraform-owned push subscription posts it, with no CloudEvent
   * headers (https://cloud.google.com/pubsub/docs/push#receive_push: the message and the
   * subscription). Google sends both spellings of the id and time (message_id, publish_time too);
   * this body carries one, as the Eventarc bodies above do, until issue 11's parser reads both.
   */
  private static String rawPush(BusMessage message, String id) throws Exception {
    return "{\"message\":{\"attributes\":"
        + ml.bqx.core.json.Json.MAPPER.writeValueAsString(message.attributes())
        + ",\"data\":\""
        + java.util.Base64.getEncoder().encodeToString(message.data())
        + "\",\"messageId\":\""
        + id
        + "\",\"publishTime\":\"2026-11-28T09:00:00.123Z\"},"
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

  @Test
  void rawPush_toThePushEntryPoint_launchesOnce_andATransientFailureAnswers500() throws Exception {
    RunId run = RunId.of("raw-push");
    Pair pair = Pair.parse("cadjpy");
    h.control.create(run, java.util.List.of(pair), new RunSettings(4, 3, 0));
    Server push = new Server();
    ServerConnector connector = new ServerConnector(push);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    push.addConnector(connector);
    push.setHandler(
        com.google.cloud.functions.invoker.HttpFunctionExecutor.forClass(HostedPush.class));
    push.start();
    try {
      URI to = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
      String body = rawPush(PairMessage.of(run, pair, 1).toBusMessage(), "77");

      HttpResponse<String> first = post(to, body);
      HttpResponse<String> again = post(to, body);
      HostedDispatch.target = null;
      HttpResponse<String> broken = post(to, body);

      assertThat(first.statusCode()).as(first.body()).isEqualTo(204);
      assertThat(again.statusCode()).isEqualTo(204);
      assertThat(broken.statusCode()).as("Pub/Sub retries a 500").isEqualTo(500);
      assertThat(h.launcher.launches()).hasSize(1);
      assertThat(h.ledger(run).pair(pair).orElseThrow().state()).isEqualTo(PairState.RUNNING);
    } finally {
      push.stop();
    }
  }

  @Test
  void transientStoreFailure_answers500SoPubSubRetries() throws Exception {
    java.nio.file.Path blocked = java.nio.file.Files.writeString(dir.resolve("blocked"), "x");
    HostedDispatch.target =
        new DispatchFunction(
            new ml.bqx.core.control.ControlContext(
                h.store,
                blocked.toUri(),
                h.launcher,
                h.publisher,
                h.context.verifier(),
                h.clock,
                h.context.settings()));
    BusMessage message =
        new BusMessage("{\"pair\":\"eurusd\"}".getBytes(StandardCharsets.UTF_8), Map.of());

    HttpResponse<String> response = push("3", Harness.eventarcBody(message, "3", "bqx-pairs"));

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(h.launcher.launches()).isEmpty();
  }
}

package ml.bqx.local.functions;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ml.bqx.core.message.BusMessage;
import ml.bqx.local.pubsub.EventarcPushRequest;
import ml.bqx.local.pubsub.PublishedMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loopback host of a function, driven over HTTP as Eventarc would. */
class LocalFunctionHostTest {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void reset() {
    TestFunctions.reset();
  }

  @Test
  void host_servesTheFunctionOnLoopback_andAnswers200ForAHandledEvent() throws Exception {
    try (LocalFunctionHost host = LocalFunctionHost.start(TestFunctions.Accepting.class)) {
      assertThat(host.url().toString()).isEqualTo("http://127.0.0.1:" + host.port() + "/");

      HttpResponse<String> response = push(host, "7");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(TestFunctions.RECEIVED).hasSize(1);
      assertThat(TestFunctions.RECEIVED.get(0).getId()).isEqualTo("7");
      assertThat(new String(TestFunctions.RECEIVED.get(0).getData().toBytes(), UTF_8))
          .contains("\"subscription\":\"projects/bqx-local/subscriptions/bqx-sub\"");
    }
  }

  @Test
  void host_answers500_whenTheFunctionThrows() throws Exception {
    try (LocalFunctionHost host = LocalFunctionHost.start(TestFunctions.Failing.class)) {
      assertThat(push(host, "8").statusCode()).isEqualTo(500);
    }
  }

  @Test
  void start_ofAClassThatIsNoEventFunction_isRefused() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> LocalFunctionHost.start(String.class));
    assertThat(e)
        .hasMessage(
            "java.lang.String is not an event function: implement CloudEventsFunction,"
                + " BackgroundFunction or RawBackgroundFunction");
  }

  @Test
  void close_stopsTheServerThreads() throws Exception {
    LocalFunctionHost host = LocalFunctionHost.start(TestFunctions.Accepting.class);
    assertThat(push(host, "9").statusCode()).isEqualTo(200);

    host.close();

    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.isAlive() && t.getName().startsWith("bqx-function-")));
  }

  private HttpResponse<String> push(LocalFunctionHost host, String id) throws Exception {
    PublishedMessage message =
        new PublishedMessage(
            "bqx-pairs",
            id,
            Instant.parse("2026-11-28T10:00:00Z"),
            new BusMessage(new byte[0], Map.of("pair", "eurusd")),
            "");
    return http.send(
        EventarcPushRequest.encode("bqx-local", "bqx-sub", message)
            .toHttpRequest(host.url(), Duration.ofSeconds(20)),
        HttpResponse.BodyHandlers.ofString());
  }
}

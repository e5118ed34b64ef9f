package ml.bqx.local.functions;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import ml.bqx.core.message.BusMessage;
import ml.bqx.local.pubsub.PublishedMessage;
import ml.bqx.local.pubsub.PushFormat;
import ml.bqx.local.pubsub.PushRequest;
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
  void aGetOrAPostWithoutCloudEventHeaders_gets4xxAndOneLogLine_andNeverReachesTheFunction()
      throws Exception {
    List<String> logged = new CopyOnWriteArrayList<>();
    Logger guardLog = Logger.getLogger(CloudEventRequestGuard.class.getName());
    Handler recorder =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.add(record.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    guardLog.addHandler(recorder);
    try (LocalFunctionHost host = LocalFunctionHost.start(TestFunctions.Accepting.class)) {
      HttpResponse<String> get =
          http.send(
              HttpRequest.newBuilder(host.url()).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> bare =
          http.send(
              HttpRequest.newBuilder(host.url())
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"pair\":\"eurusd\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(bare.statusCode()).isEqualTo(400);
      assertThat(bare.body().strip())
          .isEqualTo(
              "not a CloudEvent: no ce-specversion, ce-id, ce-source, ce-type header and no"
                  + " application/cloudevents+json body");
      assertThat(logged).hasSize(2).allMatch(line -> !line.contains("\n"));
      assertThat(logged.get(0)).startsWith("Accepting: refused a request (405): GET /");
      assertThat(TestFunctions.RECEIVED).isEmpty();
    } finally {
      guardLog.removeHandler(recorder);
    }
  }

  @Test
  void aStructuredModeCloudEvent_reachesTheFunction() throws Exception {
    try (LocalFunctionHost host = LocalFunctionHost.start(TestFunctions.Accepting.class)) {
      String event =
          """
          {"specversion": "1.0", "id": "9", "type": "google.cloud.pubsub.topic.v1.messagePublished",
           "source": "//pubsub.googleapis.com/projects/bqx-local/topics/bqx-pairs",
           "datacontenttype": "application/json",
           "data": {"message": {"data": "e30=", "messageId": "9"},
                    "subscription": "projects/bqx-local/subscriptions/bqx-sub"}}
          """;
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(host.url())
                  .header("Content-Type", "application/cloudevents+json; charset=utf-8")
                  .POST(HttpRequest.BodyPublishers.ofString(event))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(TestFunctions.RECEIVED)
          .singleElement()
          .satisfies(e -> assertThat(e.getId()).isEqualTo("9"));
      assertThat(new String(TestFunctions.RECEIVED.get(0).getData().toBytes(), UTF_8))
          .contains("\"messageId\":\"9\"");
    }
  }

  @Test
  void start_ofAClassThatIsNoFunction_isRefused() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> LocalFunctionHost.start(String.class));
    assertThat(e)
        .hasMessage(
            "java.lang.String is not a function: implement HttpFunction, CloudEventsFunction,"
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
        PushRequest.encode(PushFormat.EVENTARC, "bqx-local", "bqx-sub", message, 1)
            .toHttpRequest(host.url(), Duration.ofSeconds(20)),
        HttpResponse.BodyHandlers.ofString());
  }
}

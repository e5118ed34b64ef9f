package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.Attributes;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.ErrorEvent;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.testing.RecordingPublisher;
import ml.bqx.functions.GooglePushes.Mode;
import ml.bqx.local.functions.LocalFunctionHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shape Google documents for a Pub/Sub push (the fixtures of google-pushes/), in binary and
 * structured content mode, through each function's real entry point: the invoker's handler on the
 * loopback host a local run uses, over HTTP. Bad input is acked with one line and nothing loops.
 */
class GooglePushShapesTest {
  private static final RunId RUN = RunId.of("shapes");
  private static final Pair PAIR = Pair.parse("eurusd");

  @TempDir Path dir;
  private Harness h;
  private final List<LocalFunctionHost> hosts = new ArrayList<>();
  private URI dispatch;
  private URI completion;
  private URI reconcile;
  private final java.util.Map<Mode, URI[]> pushed = new java.util.EnumMap<>(Mode.class);
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void host() throws Exception {
    h = new Harness(dir, 8);
    HostedFunctions.Dispatch.target = h.dispatch;
    HostedFunctions.Completion.target = h.completion;
    HostedFunctions.Reconcile.target = h.reconcile;
    dispatch = start(HostedFunctions.Dispatch.class);
    completion = start(HostedFunctions.Completion.class);
    reconcile = start(HostedFunctions.Reconcile.class);
    HostedFunctions.DispatchPush.target = h.dispatch;
    HostedFunctions.CompletionPush.target = h.completion;
    HostedFunctions.ReconcilePush.target = h.reconcile;
    URI[] events = {dispatch, completion, reconcile};
    pushed.put(Mode.BINARY, events);
    pushed.put(Mode.STRUCTURED, events);
    pushed.put(
        Mode.PUBSUB_PUSH,
        new URI[] {
          start(HostedFunctions.DispatchPush.class),
          start(HostedFunctions.CompletionPush.class),
          start(HostedFunctions.ReconcilePush.class)
        });
  }

  private URI start(Class<?> function) throws Exception {
    LocalFunctionHost host = LocalFunctionHost.start(function);
    hosts.add(host);
    return host.url();
  }

  @AfterEach
  void stop() {
    hosts.forEach(LocalFunctionHost::close);
  }

  static Stream<Arguments> shapes() {
    return GooglePushes.FIXTURES.stream()
        .flatMap(f -> Stream.of(Mode.values()).map(mode -> Arguments.of(f, mode)));
  }

  private int push(URI endpoint, Mode mode, String id, String topic, byte[] body) throws Exception {
    HttpRequest request = GooglePushes.request(endpoint, mode, id, topic, body);
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @ParameterizedTest(name = "{0}, {1} mode")
  @MethodSource("shapes")
  void everyFunction_readsTheShape_andDoesItsWork(String fixture, Mode mode) throws Exception {
    h.control.create(RUN, List.of(PAIR), new RunSettings(4, 3, 0));
    BusMessage pairMessage = h.publisher.takeNew().get(0).message();
    if (GooglePushes.hasNoData(fixture)) {
      pairMessage = new BusMessage(new byte[0], pairMessage.attributes());
    }

    URI[] to = pushed.get(mode);
    int dispatched =
        push(to[0], mode, "p1", Harness.PAIRS, GooglePushes.carrying(fixture, pairMessage));

    assertThat(dispatched).isEqualTo(mode.ack());
    assertThat(h.launcher.launches()).hasSize(1);
    assertThat(h.ledger(RUN).pair(PAIR).orElseThrow().state()).isEqualTo(PairState.RUNNING);

    h.publisher.takeNew();
    h.succeed(h.launcher.running().get(0));
    BusMessage terminal = h.publisher.takeNew().get(0).message();
    int completed =
        push(to[1], mode, "e1", Harness.EVENTS, GooglePushes.carrying(fixture, terminal));

    assertThat(completed).isEqualTo(mode.ack());
    assertThat(h.ledger(RUN).pair(PAIR).orElseThrow().state()).isEqualTo(PairState.SUCCEEDED);

    try (LogLines log = LogLines.of(ReconcileFunction.class)) {
      int reconciled = push(to[2], mode, "r1", "bqx-reconcile", GooglePushes.bytes(fixture));
      assertThat(reconciled).isEqualTo(mode.ack());
      assertThat(log.problems()).isEmpty();
    }
    assertThat(h.publisher.all())
        .as("no function refused anything")
        .noneMatch(p -> ErrorEvent.KIND.equals(p.message().attribute(Attributes.KIND)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("undecodableOnTheEventsTopic")
  void undecodableEventsTopicMessage_isAckedWithOneLine_andPublishesNothing(
      String what, byte[] body) throws Exception {
    try (LogLines log = LogLines.of(CompletionFunction.class)) {
      int status = push(completion, Mode.BINARY, "bad-1", Harness.EVENTS, body);

      assertThat(status).as("acked: it can never succeed").isEqualTo(200);
      assertThat(log.problems())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith("SEVERE completion: acked and dropped message ")
                      .contains("topics/bqx-stage-events: ")
                      .doesNotContain("\n"));
    }
    assertThat(h.publisher.all()).as("nothing goes back to the events topic").isEmpty();
  }

  /**
   * A ledger damaged for good (here not a ledger at all) cannot heal by delivering again: the
   * message is acked with one line naming the run and the object, the ledger left as it is;
   * reconcile recovers the run once someone repairs it.
   */
  @Test
  void messagesOfARunWhoseLedgerIsDamaged_areAckedWithOneLine_andTheLedgerIsLeftAlone()
      throws Exception {
    h.control.create(RUN, List.of(PAIR), new RunSettings(4, 3, 0));
    BusMessage pairMessage = h.publisher.takeNew().get(0).message();
    URI ledger = ml.bqx.core.layout.StoreLayout.ledger(h.staging, RUN);
    byte[] damage = "{\"run\":".getBytes(StandardCharsets.UTF_8);
    h.store.write(ledger, damage, ml.bqx.core.port.WritePrecondition.none());
    BusMessage terminal =
        ml.bqx.core.message.StageEvent.of(
                RUN,
                PAIR,
                1,
                ml.bqx.core.message.Stage.JOB,
                ml.bqx.core.message.EventStatus.FAILED,
                Harness.START)
            .toBusMessage();

    try (LogLines dispatchLog = LogLines.of(DispatchFunction.class);
        LogLines completionLog = LogLines.of(CompletionFunction.class)) {
      int dispatched =
          push(
              dispatch,
              Mode.BINARY,
              "p2",
              Harness.PAIRS,
              GooglePushes.carrying("push-wrapped", pairMessage));
      int completed =
          push(
              completion,
              Mode.BINARY,
              "e1",
              Harness.EVENTS,
              GooglePushes.carrying("push-wrapped", terminal));

      assertThat(dispatched).as("acked: it can never succeed").isEqualTo(200);
      assertThat(completed).as("acked: it can never succeed").isEqualTo(200);
      for (LogLines log : List.of(dispatchLog, completionLog)) {
        assertThat(log.problems())
            .last()
            .satisfies(
                line ->
                    assertThat(line)
                        .contains("acked and dropped message ")
                        .contains(RUN.value(), ledger.toString())
                        .doesNotContain("\n"));
      }
    }
    assertThat(h.launcher.launches()).isEmpty();
    assertThat(h.store.read(ledger).orElseThrow().content()).isEqualTo(damage);
  }

  static Stream<Arguments> undecodableOnTheEventsTopic() {
    return Stream.of(
        Arguments.of("not JSON", "not json".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("no message", "{\"subscription\":\"s\"}".getBytes(StandardCharsets.UTF_8)),
        Arguments.of(
            "a message that is no stage event",
            GooglePushes.carrying(
                "duplicated-fields",
                new BusMessage("{\"x\":1}".getBytes(StandardCharsets.UTF_8), Map.of()))),
        Arguments.of(
            "a stage event of a run that does not exist",
            GooglePushes.carrying(
                "push-wrapped",
                ml.bqx.core.message.StageEvent.of(
                        RunId.of("nosuchrun"),
                        PAIR,
                        1,
                        ml.bqx.core.message.Stage.JOB,
                        ml.bqx.core.message.EventStatus.FAILED,
                        Harness.START)
                    .toBusMessage())));
  }

  @Test
  void badPair_isAckedWithOneErrorEvent_whichCompletionSkips_soNothingLoops() throws Exception {
    BusMessage bad =
        new BusMessage("{\"pair\":\"usdusd\"}".getBytes(StandardCharsets.UTF_8), Map.of());

    int status;
    try (LogLines log = LogLines.of(DispatchFunction.class)) {
      status =
          push(
              dispatch,
              Mode.BINARY,
              "b1",
              Harness.PAIRS,
              GooglePushes.carrying("push-wrapped", bad));
      assertThat(log.problems())
          .singleElement()
          .satisfies(line -> assertThat(line).contains("usdusd").doesNotContain("\n"));
    }

    assertThat(status).isEqualTo(200);
    assertThat(h.launcher.launches()).isEmpty();
    List<RecordingPublisher.Published> errors = h.publisher.takeNew();
    assertThat(errors)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.topic()).isEqualTo(Harness.EVENTS);
              ErrorEvent error = Json.fromBytes(p.message().data(), ErrorEvent.class);
              assertThat(error.reason()).contains("usdusd").doesNotContain("\n");
            });

    byte[] errorPush = GooglePushes.carrying("duplicated-fields", errors.get(0).message());
    assertThat(push(completion, Mode.BINARY, "b2", Harness.EVENTS, errorPush)).isEqualTo(200);
    assertThat(h.publisher.takeNew()).as("the error event produces no other event").isEmpty();
  }

  @Test
  void aGetOrAPostWithoutCloudEventHeaders_gets4xx_andNoFunctionRuns() throws Exception {
    HttpResponse<String> get =
        http.send(
            HttpRequest.newBuilder(dispatch).GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> bare =
        http.send(
            HttpRequest.newBuilder(completion)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(GooglePushes.bytes("push-wrapped")))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(bare.statusCode()).isEqualTo(400);
    assertThat(bare.body().strip()).startsWith("not a CloudEvent").doesNotContain("\n");
    assertThat(h.publisher.all()).isEmpty();
  }
}

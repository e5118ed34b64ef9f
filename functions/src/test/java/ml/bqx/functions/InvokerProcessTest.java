package ml.bqx.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.RunControl;
import ml.bqx.core.ledger.LedgerStore;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.local.pubsub.LocalPubSubEndpoint;
import ml.bqx.local.pubsub.PushSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three functions under Google's own runner (the invoker jar in a child JVM, as deployed),
 * against the local stand-ins: the folder store, child-process jobs and the local Pub/Sub endpoint,
 * whose pushes (Pub/Sub's push format, both spellings) reach the deployed entry points over HTTP.
 * What a user sees: the pair is launched, its job runs, its failure ends the run, reconcile runs;
 * no push is refused or dead-lettered.
 */
class InvokerProcessTest {
  private static final String PROJECT = "bqx-test";
  private static final String PAIRS = "bqx-pairs";
  private static final String EVENTS = "bqx-stage-events";
  private static final String RECONCILE = "bqx-reconcile";
  private static final String DEAD_LETTER = "bqx-dead-letter";
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration EFFECT = Duration.ofSeconds(90);

  @TempDir Path dir;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }

  @Test
  void everyFunction_underTheInvoker_readsGooglesPush_andDoesItsWork() throws Exception {
    LocalPubSubEndpoint endpoint = open(LocalPubSubEndpoint.start(PROJECT));
    Stream.of(PAIRS, EVENTS, RECONCILE, DEAD_LETTER).forEach(endpoint::createTopic);
    endpoint.addPullSubscription(DEAD_LETTER, "bqx-dead-letter-pull");
    Path staging = Files.createDirectories(dir.resolve("staging"));
    Path work = Files.createDirectories(dir.resolve("work"));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("BQX_PROJECT", PROJECT);
    env.put("BQX_STAGING", staging.toUri().toString());
    env.put("BQX_OUTPUT", Files.createDirectories(dir.resolve("output")).toUri().toString());
    env.put("PUBSUB_EMULATOR_HOST", endpoint.hostPort());
    env.put(
        "BQX_LAUNCHER",
        "process://" + work.toUri().getPath() + "?main=" + MarkerJobMain.class.getName());

    // The entry points terraform deploys, behind push subscriptions in Pub/Sub's own push format.
    InvokerProcess dispatch = open(InvokerProcess.start(DispatchPush.class, env, dir));
    InvokerProcess completion = open(InvokerProcess.start(CompletionPush.class, env, dir));
    InvokerProcess reconcile = open(InvokerProcess.start(ReconcilePush.class, env, dir));
    for (InvokerProcess invoker : List.of(dispatch, completion, reconcile)) {
      invoker.awaitServing(START);
    }
    endpoint.addPushSubscription(
        PushSubscription.of(PAIRS, "bqx-dispatch", dispatch.url(), DEAD_LETTER));
    endpoint.addPushSubscription(
        PushSubscription.of(EVENTS, "bqx-completion", completion.url(), DEAD_LETTER));
    endpoint.addPushSubscription(
        PushSubscription.of(RECONCILE, "bqx-reconcile-push", reconcile.url(), DEAD_LETTER));

    ControlContext control = FunctionWiring.from(BqxConfig.from(env), Clock.systemUTC());
    opened.add(control.publisher());
    LedgerStore ledgers = control.ledgers();
    RunId run = RunId.of("invoker");
    Pair pair = Pair.parse("eurusd");
    new RunControl(control).create(run, List.of(pair), new RunSettings(4, 1, 0));

    await()
        .atMost(EFFECT)
        .until(() -> executionLogs(work).contains(MarkerJobMain.LINE + "eurusd run invoker"));
    assertThat(ledgers.load(run).orElseThrow().pair(pair).orElseThrow().state())
        .isIn(PairState.STARTING, PairState.RUNNING);

    control
        .publisher()
        .publish(
            EVENTS,
            StageEvent.of(run, pair, 1, Stage.JOB, EventStatus.FAILED, Clock.systemUTC().instant())
                .withMessage("extract failed: table x unreadable")
                .withRetryable(false)
                .toBusMessage());
    await()
        .atMost(EFFECT)
        .until(
            () ->
                ledgers.load(run).orElseThrow().pair(pair).orElseThrow().state()
                    == PairState.FAILED);

    control.publisher().publish(RECONCILE, new BusMessage(new byte[0], Map.of("tick", "1")));
    await().atMost(EFFECT).until(() -> reconcile.log().contains("reconcile: checked"));

    await().atMost(EFFECT).until(() -> endpoint.stats("bqx-reconcile-push").acked() == 1);
    assertThat(endpoint.stats("bqx-dispatch").retried()).isZero();
    assertThat(endpoint.stats("bqx-completion").retried()).isZero();
    assertThat(endpoint.pull("bqx-dead-letter-pull", 10)).isEmpty();
    HttpResponse<String> get =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(dispatch.url()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).as("a GET is no push").isEqualTo(405);
    assertThat(get.body().lines()).hasSize(1);
    for (InvokerProcess invoker : List.of(dispatch, completion, reconcile)) {
      assertThat(invoker.log())
          .doesNotContain("Failed to execute")
          .doesNotContain("acked and dropped");
    }
  }

  private static String executionLogs(Path work) throws IOException {
    Path executions = work.resolve("executions");
    if (!Files.isDirectory(executions)) {
      return "";
    }
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(executions)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        all.append(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  private <T extends AutoCloseable> T open(T resource) {
    opened.add(resource);
    return resource;
  }
}

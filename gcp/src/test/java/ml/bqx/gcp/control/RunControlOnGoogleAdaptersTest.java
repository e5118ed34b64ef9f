package ml.bqx.gcp.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.run.v2.EnvVar;
import com.google.cloud.run.v2.Execution;
import com.google.cloud.run.v2.RunJobRequest;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.control.Cancellation;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.ControlSettings;
import ml.bqx.core.control.Dispatcher;
import ml.bqx.core.control.RunControl;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.Attributes;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.report.CostModel;
import ml.bqx.core.report.RunOutcome;
import ml.bqx.core.report.RunSummary;
import ml.bqx.core.testing.FakeClock;
import ml.bqx.core.verify.StoredObjectVerifier;
import ml.bqx.gcp.pubsub.PubSubEventPublisher;
import ml.bqx.gcp.run.CloudRunJobLauncher;
import ml.bqx.gcp.run.FakeCloudRun;
import ml.bqx.gcp.storage.GcsObjectStore;
import ml.bqx.wire.pubsub.FakePublisherService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cancel and retry of a run through the Google adapters, as {@code bqx cancel} and {@code bqx
 * retry} wire them on Google Cloud: the ledger on GCS (LocalStorageHelper), pair messages and the
 * run summary through the Pub/Sub client to an in-process Publisher service, executions through the
 * Cloud Run Admin v2 client to in-process Jobs and Executions services (the fakes of the adapters'
 * own tests, which say their sources).
 */
class RunControlOnGoogleAdaptersTest {
  private static final String JOB = "projects/p1/locations/us-central1/jobs/bqx-pipeline";
  private static final RunId RUN = RunId.of("prod-20261201");
  private static final List<Pair> PAIRS =
      List.of(Pair.parse("eurusd"), Pair.parse("gbpjpy"), Pair.parse("audcad"));

  private final FakeCloudRun cloudRun = new FakeCloudRun();
  private final FakePublisherService pubsub = new FakePublisherService();
  private final FakeClock clock = new FakeClock(java.time.Instant.parse("2026-12-01T08:00:00Z"));
  private Server server;
  private ManagedChannel channel;
  private CloudRunJobLauncher launcher;
  private PubSubEventPublisher publisher;
  private ControlContext context;
  private int delivered;

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(cloudRun.jobs)
            .addService(cloudRun.executionsService)
            .addService(pubsub)
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    FixedTransportChannelProvider transport =
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    launcher = CloudRunJobLauncher.create(JOB, transport, NoCredentialsProvider.create());
    publisher =
        new PubSubEventPublisher(
            "p1", transport, NoCredentialsProvider.create(), Duration.ofSeconds(30));
    GcsObjectStore store = new GcsObjectStore(LocalStorageHelper.customOptions(false).getService());
    context =
        new ControlContext(
            store,
            URI.create("gs://bqx-staging"),
            launcher,
            publisher,
            new StoredObjectVerifier(store),
            clock,
            new ControlSettings(
                "bqx-pairs",
                "bqx-stage-events",
                8,
                new RunSettings(4, 3, 0),
                Duration.ofMinutes(10),
                URI.create("gs://bqx-output"),
                1,
                1,
                new CostModel(4, 12, 0.000018, 0.000002)));
  }

  @AfterEach
  void stop() throws Exception {
    publisher.close();
    launcher.close();
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void cancel_stopsTheCloudRunExecutionAndTheQueue_thenRetry_launchesTheNextAttempts()
      throws Exception {
    RunControl control = new RunControl(context);
    control.create(RUN, PAIRS, new RunSettings(1, 3, 0));
    deliverPairMessages();
    RunLedger running = control.status(RUN).orElseThrow();
    String execution = running.pair(PAIRS.get(0)).orElseThrow().execution();
    assertThat(execution).isEqualTo(JOB + "/executions/exec-1");

    Cancellation cancelled = control.cancel(RUN);

    assertThat(cloudRun.cancels).containsExactly(execution);
    assertThat(cancelled.stopped()).extracting(PairRecord::execution).containsExactly(execution);
    assertThat(cancelled.dequeued())
        .extracting(PairRecord::pair)
        .containsExactly(PAIRS.get(1), PAIRS.get(2));
    assertThat(cancelled.ledger().pairs())
        .extracting(PairRecord::state)
        .containsOnly(PairState.CANCELLED);
    List<RunSummary> summaries = summaries();
    assertThat(summaries)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.outcome()).isEqualTo(RunOutcome.CANCELLED);
              assertThat(s.report()).isEqualTo("gs://bqx-staging/runs/" + RUN + "/report.json");
            });
    // Cloud Run then reports the execution as it ended: cancelled.
    Execution ended =
        cloudRun.executions.get(execution).toBuilder()
            .setCompletionTime(Timestamp.newBuilder().setSeconds(1))
            .setCancelledCount(1)
            .build();
    cloudRun.executions.put(execution, ended);

    RunLedger retried = control.retry(RUN);
    deliverPairMessages();

    assertThat(retried.cancelled()).isFalse();
    assertThat(retried.pairs()).extracting(PairRecord::attempt).containsOnly(2);
    assertThat(cloudRun.runs).hasSize(2);
    Map<String, String> env = env(cloudRun.runs.get(1));
    assertThat(env).containsEntry("TARGET_PAIR", "eurusd").containsEntry("ATTEMPT", "2");
    RunLedger after = control.status(RUN).orElseThrow();
    assertThat(after.pair(PAIRS.get(0)).orElseThrow().state()).isEqualTo(PairState.RUNNING);
    assertThat(after.pair(PAIRS.get(0)).orElseThrow().execution())
        .isEqualTo(JOB + "/executions/exec-2");
    assertThat(after.count(PairState.QUEUED)).isEqualTo(2);
  }

  /** Delivers every pair message published since the last call to the dispatcher, as a push. */
  private void deliverPairMessages() throws IOException {
    List<FakePublisherService.Received> all = pubsub.received;
    for (; delivered < all.size(); delivered++) {
      FakePublisherService.Received received = all.get(delivered);
      if (received.topic().equals("projects/p1/topics/bqx-pairs")) {
        new Dispatcher(context).dispatch(PairMessage.parse(message(received)));
      }
    }
  }

  private List<RunSummary> summaries() {
    return pubsub.received.stream()
        .filter(r -> r.topic().equals("projects/p1/topics/bqx-stage-events"))
        .map(RunControlOnGoogleAdaptersTest::message)
        .filter(m -> RunSummary.KIND.equals(m.attribute(Attributes.KIND)))
        .map(RunSummary::parse)
        .toList();
  }

  private static BusMessage message(FakePublisherService.Received received) {
    return new BusMessage(
        received.message().getData().toByteArray(), received.message().getAttributesMap());
  }

  private static Map<String, String> env(RunJobRequest request) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : request.getOverrides().getContainerOverrides(0).getEnvList()) {
      env.put(var.getName(), var.getValue());
    }
    return env;
  }
}

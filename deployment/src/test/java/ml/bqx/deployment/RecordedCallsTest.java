package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.cloud.run.v2.Execution;
import com.google.protobuf.Timestamp;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.ControlSettings;
import ml.bqx.core.control.RunControl;
import ml.bqx.core.json.Json;
import ml.bqx.core.ledger.PairRecord;
import ml.bqx.core.ledger.PairState;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.Warehouse;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.functions.CompletionFunction;
import ml.bqx.functions.DispatchFunction;
import ml.bqx.functions.ReconcileFunction;
import ml.bqx.gcp.storage.GcsObjectStore;
import ml.bqx.gcp.testing.ApiCalls;
import ml.bqx.job.JobEvents;
import ml.bqx.job.JobSettings;
import ml.bqx.job.PipelineJob;
import ml.bqx.trainingfile.InvalidTrainingFileException;
import ml.bqx.trainingfile.TrainingFileExpectations;
import ml.bqx.trainingfile.TrainingFileValidator;
import ml.bqx.wire.pubsub.FakePublisherService.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the functions and the operator's commands end to end over Google's wire fakes, through the
 * Google adapters and the functions' own wiring, and records which API methods each component
 * called on which resource. The recording is checked in (deployment/iam/recorded-calls.json) and
 * the IAM contract proves terraform from it; this test fails, with the difference, when the code
 * calls something the checked-in recording lacks or no longer calls something it has. Regenerate it
 * with {@code -Dbqx.iam.record=true}.
 */
class RecordedCallsTest {
  static final Path CHECKED_IN =
      Path.of(System.getProperty("bqx.repo.root", ".."), "deployment/iam/recorded-calls.json");
  private static final RunId RUN = RunId.of("prod-20261128");
  private static final String PAIRS = "projects/" + GoogleWire.PROJECT + "/topics/bqx-pairs";
  private static final String EVENTS =
      "projects/" + GoogleWire.PROJECT + "/topics/bqx-stage-events";
  private static final Instant START = Instant.parse("2026-11-28T09:00:00Z");

  private final GoogleWire wire = new GoogleWire();
  private Clock clock = Clock.fixed(START, ZoneOffset.UTC);
  private int delivered;
  private int ids;

  @AfterEach
  void close() throws Exception {
    wire.close();
  }

  @Test
  void everyComponentsCalls_matchTheCheckedInRecording() throws Exception {
    runTheFlow();
    String recorded = render(wire.recordings());
    Path generated = Path.of("target", "iam", "recorded-calls.json");
    Files.createDirectories(generated.getParent());
    Files.writeString(generated, recorded, StandardCharsets.UTF_8);
    if (Boolean.getBoolean("bqx.iam.record")) {
      Files.writeString(CHECKED_IN, recorded, StandardCharsets.UTF_8);
    }
    String checkedIn =
        Files.exists(CHECKED_IN) ? Files.readString(CHECKED_IN, StandardCharsets.UTF_8) : "";
    assertThat(checkedIn)
        .as(
            "deployment/iam/recorded-calls.json is stale: the code's calls changed. Review the"
                + " difference, regenerate with -Dbqx.iam.record=true (new: "
                + generated.toAbsolutePath()
                + ")")
        .isEqualTo(recorded);
  }

  @Test
  void theIssuesCalls_areRecorded() throws Exception {
    runTheFlow();
    Map<String, ApiCalls> calls = wire.recordings();
    // issue 13 point 1: the dispatcher publishes pair messages (failed launch, promotion).
    assertThat(calls.get("dispatch").calls())
        .contains(new ApiCalls.Call("google.pubsub.v1.Publisher.Publish", PAIRS));
    // point 2: bqx cancel publishes the run's summary on the events topic.
    assertThat(calls.get("operator").calls())
        .contains(new ApiCalls.Call("google.pubsub.v1.Publisher.Publish", EVENTS));
    // the dispatcher cancels an execution it started for a run cancelled meanwhile.
    assertThat(calls.get("dispatch").calls())
        .extracting(ApiCalls.Call::method)
        .contains("google.cloud.run.v2.Executions.CancelExecution");
    // the completion function ends the run: its summary event.
    assertThat(calls.get("completion").calls())
        .contains(new ApiCalls.Call("google.pubsub.v1.Publisher.Publish", EVENTS));
    // reconcile ends a run whose last pair it recovered: the run's summary.
    assertThat(calls.get("reconcile").calls())
        .contains(new ApiCalls.Call("google.pubsub.v1.Publisher.Publish", EVENTS));
    // point 7: reconcile reads executions but never cancels one.
    assertThat(calls.get("reconcile").calls())
        .extracting(ApiCalls.Call::method)
        .contains("google.cloud.run.v2.Executions.GetExecution")
        .doesNotContain("google.cloud.run.v2.Executions.CancelExecution");
  }

  /**
   * One production run through every path that calls Google: launches, queueing, a refused launch,
   * a rejected message, a cancel during a launch, an output that fails its check, an execution
   * whose terminal event was lost, retry, status, validate.
   */
  private void runTheFlow() throws Exception {
    // The job builds a pair, then rebuilds it (a second attempt replaces the published file).
    runTheJob(1);
    runTheJob(2);

    Map<String, String> settings = Map.of("BQX_MAX_CONCURRENT", "2", "BQX_MIN_ROWS", "1");
    ControlContext dispatchContext = wire.context("dispatch", clockNow(), settings);
    ControlContext completionContext = wire.context("completion", clockNow(), settings);
    ControlContext reconcileContext = wire.context("reconcile", clockNow(), settings);
    ControlContext operatorContext = wire.context("operator", clockNow(), settings);
    DispatchFunction dispatch = new DispatchFunction(dispatchContext);
    CompletionFunction completion = new CompletionFunction(completionContext);
    ReconcileFunction reconcile = new ReconcileFunction(reconcileContext);
    RunControl operator = new RunControl(operatorContext);

    // bqx run: the ledger and one message per pair; two start, the third waits.
    List<Pair> pairs = List.of(Pair.parse("eurusd"), Pair.parse("gbpusd"), Pair.parse("audusd"));
    operator.create(RUN, pairs, new RunSettings(2, 2, 0));
    deliverNew(dispatch, completion);

    // A message that can never succeed: the dispatcher publishes an error event.
    dispatch.accept(cloudEvent("bqx-pairs", new BusMessage("{".getBytes(), Map.of())));

    // eurusd ends with a file that fails the completion's check: a retry is published.
    String eurusd = executionOf(operator, "eurusd");
    completion.accept(cloudEvent("bqx-stage-events", terminal(eurusd, "eurusd", 1).toBusMessage()));
    deliverNew(dispatch, completion);

    // gbpusd's execution ended but its terminal event was lost: reconcile finds it.
    String gbpusd = executionOf(operator, "gbpusd");
    finish(gbpusd, START);
    advance(Duration.ofHours(1));
    reconcile.accept(cloudEvent("bqx-reconcile", new BusMessage(new byte[0], Map.of())));
    deliverNew(dispatch, completion);

    // The launch is refused: the dispatcher puts the pair back on the topic.
    wire.cloudRun.refuseRuns = io.grpc.Status.UNAVAILABLE.withDescription("try later");
    RunId other = RunId.of("prod-20261128b");
    operator.create(other, List.of(Pair.parse("usdjpy")), new RunSettings(1, 2, 0));
    deliverOnce(dispatch, completion);
    wire.cloudRun.refuseRuns = null;
    deliverNew(dispatch, completion);

    // The run is cancelled while its pair is being launched: the dispatcher stops the execution.
    RunId cancelled = RunId.of("prod-20261128c");
    wire.duringRunJob = () -> operator.cancel(cancelled);
    operator.create(cancelled, List.of(Pair.parse("nzdusd")), new RunSettings(1, 2, 0));
    deliverNew(dispatch, completion);

    // A one-pair run whose only attempt failed without its terminal event: reconcile ends the run.
    RunId lost = RunId.of("prod-20261128d");
    operator.create(lost, List.of(Pair.parse("gbpjpy")), new RunSettings(1, 1, 0));
    deliverNew(dispatch, completion);
    String gbpjpy =
        operator.status(lost).orElseThrow().pair(Pair.parse("gbpjpy")).orElseThrow().execution();
    Execution launched = wire.cloudRun.executions.get(gbpjpy);
    wire.cloudRun.executions.put(
        gbpjpy,
        launched.toBuilder()
            .setCompletionTime(Timestamp.newBuilder().setSeconds(START.getEpochSecond()))
            .setFailedCount(1)
            .build());
    advance(Duration.ofHours(1));
    reconcile.accept(cloudEvent("bqx-reconcile", new BusMessage(new byte[0], Map.of())));
    assertThat(operator.status(lost).orElseThrow().isFinished()).as("reconcile ended it").isTrue();
    deliverNew(dispatch, completion);

    // bqx status / retry / validate / cancel.
    operator.status(RUN);
    operator.runs();
    operator.report(RUN);
    validate(wire.store("operator"), "eurusd");
    operator.cancel(RUN);
    operator.cancel(other);
    deliverNew(dispatch, completion);
    operator.retry(RUN);
    deliverNew(dispatch, completion);

    // Every running pair ends with a file that fails its check, until the run ends (its summary
    // event and report come from the completion function).
    for (int round = 0; round < 10 && !operator.status(RUN).orElseThrow().isFinished(); round++) {
      for (PairRecord record : operator.status(RUN).orElseThrow().pairs()) {
        if (record.state() == PairState.RUNNING) {
          completion.accept(
              cloudEvent(
                  "bqx-stage-events",
                  terminal(record.execution(), record.pair().name(), record.attempt())
                      .toBusMessage()));
        }
      }
      deliverNew(dispatch, completion);
    }
    assertThat(operator.status(RUN).orElseThrow().isFinished()).as("the run ended").isTrue();
  }

  /** The pipeline job's five stages over BigQuery's, GCS's and Pub/Sub's wire fakes. */
  private void runTheJob(int attempt) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("BQX_PROJECT", GoogleWire.PROJECT);
    env.put(
        "BQX_WAREHOUSE", "bigquery://" + GoogleWire.PROJECT + "/" + Deployment.FEATURES_DATASET);
    env.put("BQX_STAGING", "gs://" + GoogleWire.STAGING_BUCKET);
    env.put("BQX_OUTPUT", "gs://" + GoogleWire.OUTPUT_BUCKET);
    env.put("TARGET_PAIR", "usdcad");
    env.put("RUN_ID", RUN.value());
    env.put("ATTEMPT", Integer.toString(attempt));
    env.put("BQX_MIN_ROWS", "1");
    env.put("BQX_MIN_COLUMNS", "1");
    env.put("BQX_ROW_GROUP_ROWS", "1000");
    BqxConfig config = BqxConfig.from(env);
    JobSettings settings = JobSettings.from(config);
    ApiCalls calls = wire.calls("job");
    // Parts of 16 KiB: the training file goes up as a composite upload, as a 7.6 GB one does.
    GcsObjectStore store = wire.store("job", 16 * 1024);
    try (WarehouseWire bigQuery =
            new WarehouseWire(GoogleWire.PROJECT, settings.pair(), 1500, calls);
        Warehouse warehouse = bigQuery.warehouse()) {
      JobEvents events =
          new JobEvents(
              wire.publisher("job"),
              config.require(EnvKey.BQX_EVENTS_TOPIC),
              JobSettings.identity(config),
              clock);
      OutputFacts facts = new PipelineJob(settings, warehouse, store, store, events, clock).run();
      assertThat(facts.rows()).isEqualTo(1500);
      bigQuery.recordRestCalls(calls);
    }
  }

  private String executionOf(RunControl operator, String pair) throws IOException {
    return operator.status(RUN).orElseThrow().pair(Pair.parse(pair)).orElseThrow().execution();
  }

  /** The job's terminal event with an output the job "uploaded": not a Parquet file. */
  private StageEvent terminal(String execution, String pair, int attempt) throws IOException {
    URI target = URI.create("gs://" + GoogleWire.OUTPUT_BUCKET + "/training_" + pair + ".parquet");
    GcsObjectStore job = new GcsObjectStore(wire.storage);
    ObjectInfo info =
        job.write(target, "PAR1 not a footer PAR1".getBytes(), WritePrecondition.none());
    finish(execution, clock.instant());
    return StageEvent.of(
            RUN, Pair.parse(pair), attempt, Stage.JOB, EventStatus.SUCCEEDED, clock.instant())
        .withOutput(
            new OutputFacts(target.toString(), info.size(), info.crc32c(), 120_000, 10_500));
  }

  private void finish(String execution, Instant at) {
    Execution running = wire.cloudRun.executions.get(execution);
    wire.cloudRun.executions.put(
        execution,
        running.toBuilder()
            .setCompletionTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
            .setSucceededCount(1)
            .build());
  }

  private void validate(GcsObjectStore store, String pair) throws IOException {
    URI uri = URI.create("gs://" + GoogleWire.OUTPUT_BUCKET + "/training_" + pair + ".parquet");
    try {
      new TrainingFileValidator(store)
          .validate(
              uri,
              TrainingFileExpectations.minimums(1, 1)
                  .withSizeBetween(ControlSettings.MIN_BYTES, ControlSettings.MAX_BYTES));
    } catch (InvalidTrainingFileException expected) {
      // the stand-in output is not a training file; the reads are what is recorded
    }
  }

  /** Delivers every message published since the last delivery, until nothing new is. */
  private void deliverNew(DispatchFunction dispatch, CompletionFunction completion)
      throws IOException {
    while (deliverOnce(dispatch, completion)) {
      // keep going
    }
  }

  private boolean deliverOnce(DispatchFunction dispatch, CompletionFunction completion)
      throws IOException {
    List<Received> batch = new ArrayList<>(wire.pubsub.received);
    List<Received> fresh = batch.subList(delivered, batch.size());
    delivered = batch.size();
    for (Received r : List.copyOf(fresh)) {
      BusMessage message =
          new BusMessage(r.message().getData().toByteArray(), r.message().getAttributesMap());
      if (r.topic().equals(PAIRS)) {
        try {
          dispatch.accept(cloudEvent("bqx-pairs", message));
        } catch (IOException transientFailure) {
          // a refused launch: Pub/Sub would deliver it again later
        }
      } else if (r.topic().equals(EVENTS)) {
        completion.accept(cloudEvent("bqx-stage-events", message));
      }
    }
    return !fresh.isEmpty();
  }

  private CloudEvent cloudEvent(String topic, BusMessage message) {
    String id = "m" + (++ids);
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("data", Base64.getEncoder().encodeToString(message.data()));
    inner.put("attributes", message.attributes());
    inner.put("messageId", id);
    inner.put("publishTime", "2026-11-28T09:00:00.123Z");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message", inner);
    body.put("subscription", "projects/" + GoogleWire.PROJECT + "/subscriptions/" + topic);
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("//pubsub.googleapis.com/projects/bqx-test/topics/" + topic))
        .withType("google.cloud.pubsub.topic.v1.messagePublished")
        .withDataContentType("application/json")
        .withData(Json.toBytes(body))
        .build();
  }

  private Clock clockNow() {
    return new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return clock.instant();
      }
    };
  }

  private void advance(Duration by) {
    clock = Clock.fixed(clock.instant().plus(by), ZoneOffset.UTC);
  }

  /** {component: [{method, resource}, ...]}, sorted, one call a line. */
  static String render(Map<String, ApiCalls> recordings) throws IOException {
    Map<String, List<Map<String, String>>> out = new TreeMap<>();
    recordings.forEach(
        (component, calls) -> {
          List<Map<String, String>> list = new ArrayList<>();
          for (ApiCalls.Call c : calls.calls()) {
            Map<String, String> call = new LinkedHashMap<>();
            call.put("method", c.method());
            call.put("resource", c.resource());
            list.add(call);
          }
          out.put(component, list);
        });
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out)
        + "\n";
  }
}

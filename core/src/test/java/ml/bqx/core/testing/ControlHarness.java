package ml.bqx.core.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import ml.bqx.core.control.CompletionHandler;
import ml.bqx.core.control.ControlContext;
import ml.bqx.core.control.ControlSettings;
import ml.bqx.core.control.Dispatcher;
import ml.bqx.core.control.Reconciler;
import ml.bqx.core.control.RunControl;
import ml.bqx.core.json.Json;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.core.ledger.RunLedger;
import ml.bqx.core.ledger.RunSettings;
import ml.bqx.core.message.Attributes;
import ml.bqx.core.message.BusMessage;
import ml.bqx.core.message.EventStatus;
import ml.bqx.core.message.OutputFacts;
import ml.bqx.core.message.PairMessage;
import ml.bqx.core.message.RunId;
import ml.bqx.core.message.Stage;
import ml.bqx.core.message.StageEvent;
import ml.bqx.core.pair.Pair;
import ml.bqx.core.pair.PairUniverse;
import ml.bqx.core.port.ExecutionState;
import ml.bqx.core.port.LaunchRequest;
import ml.bqx.core.port.ObjectInfo;
import ml.bqx.core.port.ObjectStore;
import ml.bqx.core.port.WritePrecondition;
import ml.bqx.core.report.CostModel;
import ml.bqx.core.report.RunReport;
import ml.bqx.core.verify.OutputVerifier;
import ml.bqx.core.verify.StoredObjectVerifier;

/**
 * The control logic over one object store, a recording launcher (the jobs), a recording publisher
 * (the topics) and a fake clock. A test publishes through {@link RunControl}, lets jobs succeed or
 * fail, and delivers what was published to the handler subscribed to its topic, as often and in
 * whatever order it likes. The functions' tests deliver through the functions instead.
 */
public class ControlHarness {
  public static final String PAIRS = "bqx-pairs";
  public static final String EVENTS = "bqx-stage-events";
  public static final Instant START = Instant.parse("2026-11-28T09:00:00Z");

  public final FakeClock clock = new FakeClock(START);
  public final RecordingLauncher launcher = new RecordingLauncher();
  public final RecordingPublisher publisher = new RecordingPublisher();
  public final ObjectStore store;
  public final URI staging;
  public final URI output;
  public final ControlContext context;
  public final RunControl control;
  private int ids;

  /** In memory, with the store's own check of outputs (size and CRC32C). */
  public ControlHarness(int projectCap) {
    this(
        new MemoryObjectStore(),
        URI.create("mem://staging/"),
        URI.create("mem://output/"),
        projectCap,
        StoredObjectVerifier::new);
  }

  /** Over {@code store}, whose completion and reconcile check outputs with {@code verifier}. */
  public ControlHarness(
      ObjectStore store,
      URI staging,
      URI output,
      int projectCap,
      Function<ObjectStore, OutputVerifier> verifier) {
    this.store = store;
    this.staging = staging;
    this.output = output;
    this.context =
        new ControlContext(
            store,
            staging,
            launcher,
            publisher,
            verifier.apply(store),
            clock,
            new ControlSettings(
                PAIRS,
                EVENTS,
                projectCap,
                new RunSettings(4, 3, 0),
                Duration.ofMinutes(10),
                output,
                1,
                1,
                new CostModel(4, 12, 0.000018, 0.000002)));
    this.control = new RunControl(context);
  }

  /**
   * Delivers a published message to the handler subscribed to its topic, as the functions would: a
   * pair message to the dispatcher, a stage event to the completion handler; the other kinds on the
   * events topic (run summaries) have no subscriber.
   */
  public void deliver(RecordingPublisher.Published published) throws IOException {
    BusMessage message = published.message();
    switch (published.topic()) {
      case PAIRS -> new Dispatcher(context).dispatch(PairMessage.parse(message));
      case EVENTS -> {
        if (StageEvent.KIND.equals(message.attribute(Attributes.KIND))) {
          new CompletionHandler(context).handle(StageEvent.parse(message));
        }
      }
      default -> throw new IllegalArgumentException("nothing subscribes to " + published.topic());
    }
  }

  public void deliver(String topic, BusMessage message) throws IOException {
    deliver(new RecordingPublisher.Published(topic, message, "t" + (++ids)));
  }

  /** Delivers everything published until nothing new is, once each. */
  public void drain() throws IOException {
    for (var batch = publisher.takeNew(); !batch.isEmpty(); batch = publisher.takeNew()) {
      for (RecordingPublisher.Published p : batch) {
        if (p.topic().equals(PAIRS) || p.topic().equals(EVENTS)) {
          deliver(p);
        }
      }
    }
  }

  /** One tick of the reconcile schedule. */
  public Reconciler.Result reconcileOnce() throws IOException {
    return new Reconciler(context).reconcile();
  }

  /** The job of an execution succeeds: its file is published and its terminal event sent. */
  public StageEvent succeed(String execution) throws IOException {
    LaunchRequest request = launcher.request(execution);
    URI target = StoreLayout.trainingFile(output, request.pair());
    byte[] content =
        ("PAR1 " + request.run() + " " + request.pair() + " " + request.attempt() + " PAR1")
            .getBytes(StandardCharsets.UTF_8);
    ObjectInfo info = store.write(target, content, WritePrecondition.none());
    launcher.end(execution, ExecutionState.Phase.SUCCEEDED);
    StageEvent event =
        terminalEvent(request, EventStatus.SUCCEEDED)
            .withOutput(
                new OutputFacts(target.toString(), info.size(), info.crc32c(), 120_000, 10_500))
            .withMetrics(
                Map.of(
                    "extract.durationMs", 60_000.0,
                    "merge.durationMs", 20_000.0,
                    "tables", 668.0,
                    "tablesPerMin", 668.0));
    publisher.publish(EVENTS, event.toBusMessage());
    return event;
  }

  /** The job of an execution fails with a terminal event. */
  public StageEvent fail(String execution, boolean retryable) throws IOException {
    LaunchRequest request = launcher.request(execution);
    launcher.end(execution, ExecutionState.Phase.FAILED);
    StageEvent event =
        terminalEvent(request, EventStatus.FAILED)
            .withMessage("extract failed: table x unreadable")
            .withRetryable(retryable);
    publisher.publish(EVENTS, event.toBusMessage());
    return event;
  }

  private StageEvent terminalEvent(LaunchRequest request, EventStatus status) {
    return StageEvent.of(
        request.run(), request.pair(), request.attempt(), Stage.JOB, status, clock.instant());
  }

  /** The first {@code n} pairs of a production run, in its order. */
  public static List<Pair> pairs(int n) {
    return PairUniverse.PRODUCTION.subList(0, n);
  }

  public RunLedger ledger(RunId run) throws IOException {
    return context.ledgers().load(run).orElseThrow();
  }

  /** The report object written when the run ended; empty while it runs. */
  public Optional<RunReport> storedReport(RunId run) throws IOException {
    return store
        .read(StoreLayout.report(staging, run))
        .map(s -> Json.fromBytes(s.content(), RunReport.class));
  }
}

package ml.bqx.deployment;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.grpc.ForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.control.ControlContext;
import ml.bqx.functions.FunctionWiring;
import ml.bqx.gcp.pubsub.PubSubEventPublisher;
import ml.bqx.gcp.run.CloudRunJobLauncher;
import ml.bqx.gcp.run.FakeCloudRun;
import ml.bqx.gcp.storage.GcsObjectStore;
import ml.bqx.gcp.testing.ApiCalls;
import ml.bqx.gcp.testing.RecordingStorage;
import ml.bqx.wire.pubsub.FakePublisherService;

/**
 * One set of Google wire fakes (Pub/Sub Publisher and Cloud Run Admin in-process, GCS on
 * LocalStorageHelper) shared by every component, each component reaching them through its own
 * in-process server and its own recording Storage, so that each one's calls are recorded apart.
 */
final class GoogleWire implements AutoCloseable {
  static final String PROJECT = "bqx-test";
  static final String STAGING_BUCKET = "bqx-staging";
  static final String OUTPUT_BUCKET = "bqx-output";
  static final String JOB =
      "projects/" + PROJECT + "/locations/us-central1/jobs/" + Deployment.JOB_NAME;

  /** Which variable names which bucket of the recording (terraform sets the same variables). */
  static final Map<String, String> BUCKET_VARIABLES =
      Map.of(STAGING_BUCKET, "BQX_STAGING", OUTPUT_BUCKET, "BQX_OUTPUT");

  final FakePublisherService pubsub = new FakePublisherService();
  final FakeCloudRun cloudRun = new FakeCloudRun();
  final Storage storage =
      ChecksummedStorage.of(LocalStorageHelper.customOptions(false).getService());
  private final Map<String, ApiCalls> calls = new HashMap<>();
  private final List<AutoCloseable> open = new ArrayList<>();

  /** A component's control context over the fakes, recording into {@link #calls(String)}. */
  ControlContext context(String component, Clock clock, Map<String, String> settings)
      throws IOException {
    ApiCalls recorder = calls(component);
    Map<String, String> env = new HashMap<>(settings);
    env.put("BQX_PROJECT", PROJECT);
    env.put("BQX_STAGING", "gs://" + STAGING_BUCKET);
    env.put("BQX_OUTPUT", "gs://" + OUTPUT_BUCKET);
    env.put("BQX_LAUNCHER", "cloudrun://" + JOB);
    GcsObjectStore store = store(component);
    PubSubEventPublisher publisher = publisher(component);
    CloudRunJobLauncher launcher =
        CloudRunJobLauncher.create(JOB, transport(recorder), NoCredentialsProvider.create());
    open.add(launcher);
    return FunctionWiring.from(BqxConfig.from(env), clock, store, store, launcher, publisher);
  }

  /** The Pub/Sub publisher of a component, recording its calls. */
  PubSubEventPublisher publisher(String component) throws IOException {
    PubSubEventPublisher publisher =
        new PubSubEventPublisher(
            PROJECT,
            transport(calls(component)),
            NoCredentialsProvider.create(),
            Duration.ofSeconds(30));
    open.add(publisher::close);
    return publisher;
  }

  /** The GCS store of a component, recording its calls. */
  GcsObjectStore store(String component) {
    return new GcsObjectStore(RecordingStorage.of(storage, calls(component)));
  }

  /**
   * The same, its uploads going up in parts of {@code partSize} bytes: the small files of a test
   * then take the path a seed-scale file takes (parts, composes, deletes of the parts).
   */
  GcsObjectStore store(String component, int partSize) {
    return new GcsObjectStore(
        RecordingStorage.of(storage, calls(component)), partSize, GcsObjectStore.PARTS_IN_FLIGHT);
  }

  ApiCalls calls(String component) {
    return calls.computeIfAbsent(component, c -> new ApiCalls());
  }

  Map<String, ApiCalls> recordings() {
    return Map.copyOf(calls);
  }

  private TransportChannelProvider transport(ApiCalls recorder) throws IOException {
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(pubsub)
            .addService(ServerInterceptors.intercept(cloudRun.jobs, new DuringRunJob()))
            .addService(cloudRun.executionsService)
            .intercept(recorder.interceptor())
            .build()
            .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    open.add(channel::shutdownNow);
    open.add(server::shutdownNow);
    return FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
  }

  /** Something that happens while a RunJob request is on its way (once), e.g. a cancel. */
  volatile IoAction duringRunJob;

  /** An action that may fail with an IOException. */
  interface IoAction {
    void run() throws IOException;
  }

  private final class DuringRunJob implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
          next.startCall(call, headers)) {
        @Override
        public void onMessage(Q message) {
          IoAction action = duringRunJob;
          duringRunJob = null;
          if (action != null) {
            try {
              action.run();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          }
          super.onMessage(message);
        }
      };
    }
  }

  @Override
  public void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }
}

package ml.bqx.cli.doctor;

import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.api.serviceusage.v1.ListServicesRequest;
import com.google.api.serviceusage.v1.ListServicesResponse;
import com.google.api.serviceusage.v1.Service;
import com.google.api.serviceusage.v1.ServiceUsageGrpc;
import com.google.api.serviceusage.v1.State;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.ExecutionTemplate;
import com.google.cloud.run.v2.GetJobRequest;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.JobsGrpc;
import com.google.cloud.run.v2.TaskTemplate;
import com.google.iam.v1.IAMPolicyGrpc;
import com.google.iam.v1.TestIamPermissionsRequest;
import com.google.iam.v1.TestIamPermissionsResponse;
import com.google.pubsub.v1.GetSubscriptionRequest;
import com.google.pubsub.v1.SubscriberGrpc;
import com.google.pubsub.v1.Subscription;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import ml.bqx.gcp.doctor.CloudDeployment;
import ml.bqx.gcp.doctor.GoogleEndpoints;

/**
 * A project's Service Usage, Cloud Run Admin v2 Jobs and Pub/Sub Subscriber services on an
 * in-process gRPC server, answering as Google documents them:
 *
 * <ul>
 *   <li>services.list (cloud.google.com/service-usage/docs/reference/rest/v1/services/list): the
 *       filter {@code state:ENABLED} keeps enabled services; a page holds 50 by default (at most
 *       200) and {@code next_page_token} leads to the next; a service's name is {@code
 *       projects/NUMBER/services/NAME} (.../rest/v1/services#Service), the project's number, not
 *       its id.
 *   <li>jobs.get (cloud.google.com/run/docs/reference/rest/v2/projects.locations.jobs/get): the
 *       Job's {@code template.template.containers[].image}; NOT_FOUND for a job that is not there.
 *   <li>subscriptions.get (cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions):
 *       {@code topic}, {@code pushConfig.pushEndpoint} (empty for pull), {@code
 *       deadLetterPolicy.deadLetterTopic} and {@code maxDeliveryAttempts}; NOT_FOUND when absent.
 *   <li>testIamPermissions, Pub/Sub's IAMPolicy method on a topic and Cloud Run's Jobs method on a
 *       job (.../pubsub/docs/reference/rest/v1/projects.topics/testIamPermissions,
 *       .../run/docs/reference/rest/v2/projects.locations.jobs/testIamPermissions): "returns
 *       permissions that a caller has on the specified resource", the requested ones the caller
 *       holds; a resource that does not exist answers an empty set, not NOT_FOUND. The caller is
 *       the bearer token's account (tokens here are {@code token-of:ACCOUNT}). The same method of
 *       Resource Manager v3 on a project
 *       (cloud.google.com/resource-manager/reference/rest/v3/projects/testIamPermissions: "Returns
 *       permissions that a caller has on the specified project").
 *   <li>functions.get
 *       (cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions/get): the
 *       Function's {@code state}, ACTIVE once "successfully deployed and is serving", FAILED,
 *       DEPLOYING, DELETING or UNKNOWN otherwise; NOT_FOUND for a function that is not there.
 *   <li>Artifact Registry tags.get and versions.get
 *       (cloud.google.com/artifact-registry/docs/reference/rest/v1/projects.locations.repositories.packages.tags):
 *       a tag named {@code projects/P/locations/L/repositories/R/packages/PKG/tags/T} (slashes in
 *       the package escaped) pointing at a version {@code .../versions/sha256:...}; NOT_FOUND when
 *       absent.
 * </ul>
 *
 * The HTTP/JSON APIs (Cloud Storage, BigQuery) are {@link FakeHttpApis}. As a stand-in for an
 * emulator ({@code bqx doctor} with BQX_DOCTOR_*_ENDPOINT) it also listens on 127.0.0.1 and takes
 * calls without credentials, as Google's emulators do, from the caller {@code anonymous}.
 */
final class FakeDeployment implements AutoCloseable {
  static final String PROJECT = "bqx-test";
  static final String REGION = "us-central1";
  private static final String NUMBER = "123456789012";
  private static final int DEFAULT_PAGE = 50;

  final List<String> enabled = new ArrayList<>();
  final List<String> disabled = new ArrayList<>();
  final Map<String, Job> jobs = new ConcurrentHashMap<>();
  final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  int listPages;

  /** Functions deployed: name to state. */
  final Map<String, com.google.cloud.functions.v2.Function.State> functions =
      new ConcurrentHashMap<>();

  /** Artifact Registry's tags and versions, by name. */
  final java.util.Set<String> registry = ConcurrentHashMap.newKeySet();

  /** Permissions held: account (or "operator") to resource to permissions. */
  final Map<String, Map<String, java.util.Set<String>>> grants = new ConcurrentHashMap<>();

  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CALLER = Context.key("caller");

  private final boolean emulator;
  private final Server server;
  private final Server loopback;
  private final ManagedChannel channel;
  private final FakeHttpApis http;

  FakeDeployment() throws IOException {
    this(false);
  }

  /**
   * @param emulator also listen on 127.0.0.1 and take calls without credentials
   */
  FakeDeployment(boolean emulator) throws IOException {
    this.emulator = emulator;
    String name = InProcessServerBuilder.generateName();
    server = services(InProcessServerBuilder.forName(name).directExecutor()).build().start();
    loopback =
        emulator
            ? services(
                    io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forAddress(
                        new java.net.InetSocketAddress("127.0.0.1", 0)))
                .build()
                .start()
            : null;
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    http = new FakeHttpApis(this::holds, emulator);
  }

  private <B extends io.grpc.ServerBuilder<B>> B services(B builder) {
    return builder
        .addService(ServerInterceptors.intercept(serviceUsage(), callerFromToken()))
        .addService(ServerInterceptors.intercept(jobsService(), callerFromToken()))
        .addService(ServerInterceptors.intercept(subscriber(), callerFromToken()))
        .addService(ServerInterceptors.intercept(iamPolicy(), callerFromToken()))
        .addService(ServerInterceptors.intercept(projects(), callerFromToken()))
        .addService(ServerInterceptors.intercept(functionService(), callerFromToken()))
        .addService(ServerInterceptors.intercept(artifactRegistry(), callerFromToken()));
  }

  /** The settings that point bqx doctor at this stand-in (with {@code emulator}). */
  Map<String, String> endpoints() {
    return Map.of(
        "BQX_DOCTOR_GRPC_ENDPOINT",
        "127.0.0.1:" + loopback.getPort(),
        "BQX_DOCTOR_HTTP_ENDPOINT",
        http.url());
  }

  /** The deployment as bqx doctor reads it, through Google's clients on this server. */
  CloudDeployment deployment() throws IOException {
    TransportChannelProvider transport =
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    Date never = Date.from(java.time.Instant.parse("2100-01-01T00:00:00Z"));
    return new CloudDeployment(
        PROJECT,
        REGION,
        new GoogleEndpoints(transport, http.url()),
        account ->
            GoogleCredentials.create(
                new AccessToken("token-of:" + (account == null ? "operator" : account), never)),
        null);
  }

  /**
   * The caller of an emulator ({@code anonymous}) holds what any account holds: a stand-in that
   * takes no credentials tells no accounts apart.
   */
  void grantAnonymousWhatAnyAccountHolds() {
    for (Map<String, java.util.Set<String>> held : List.copyOf(grants.values())) {
      held.forEach(
          (resource, permissions) ->
              grant("anonymous", resource, permissions.toArray(String[]::new)));
    }
  }

  void grant(String account, String resource, String... permissions) {
    grants
        .computeIfAbsent(account, a -> new ConcurrentHashMap<>())
        .computeIfAbsent(resource, r -> new java.util.TreeSet<>())
        .addAll(List.of(permissions));
  }

  private java.util.Set<String> holds(String caller, String resource) {
    return grants.getOrDefault(caller, Map.of()).getOrDefault(resource, java.util.Set.of());
  }

  private TestIamPermissionsResponse held(TestIamPermissionsRequest request) {
    java.util.Set<String> holds = holds(CALLER.get(), request.getResource());
    return TestIamPermissionsResponse.newBuilder()
        .addAllPermissions(request.getPermissionsList().stream().filter(holds::contains).toList())
        .build();
  }

  /**
   * The caller is the account of the request's bearer token; none is refused as Google does, but
   * taken from {@code anonymous} by an emulator.
   */
  private ServerInterceptor callerFromToken() {
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String token = headers.get(AUTHORIZATION);
        if (token == null && emulator) {
          return Contexts.interceptCall(
              Context.current().withValue(CALLER, "anonymous"), call, headers, next);
        }
        if (token == null || !token.startsWith("Bearer token-of:")) {
          call.close(Status.UNAUTHENTICATED.withDescription("no bearer token"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        Context context =
            Context.current().withValue(CALLER, token.substring("Bearer token-of:".length()));
        return Contexts.interceptCall(context, call, headers, next);
      }
    };
  }

  private IAMPolicyGrpc.IAMPolicyImplBase iamPolicy() {
    return new IAMPolicyGrpc.IAMPolicyImplBase() {
      @Override
      public void testIamPermissions(
          TestIamPermissionsRequest request, StreamObserver<TestIamPermissionsResponse> response) {
        response.onNext(held(request));
        response.onCompleted();
      }
    };
  }

  void job(String name, String image) {
    jobs.put(
        "projects/" + PROJECT + "/locations/" + REGION + "/jobs/" + name,
        Job.newBuilder()
            .setTemplate(
                ExecutionTemplate.newBuilder()
                    .setTemplate(
                        TaskTemplate.newBuilder()
                            .addContainers(Container.newBuilder().setImage(image))))
            .build());
  }

  void subscription(String name, String topic, String endpoint, String deadLetterTopic) {
    Subscription.Builder subscription =
        Subscription.newBuilder()
            .setName("projects/" + PROJECT + "/subscriptions/" + name)
            .setTopic("projects/" + PROJECT + "/topics/" + topic);
    if (endpoint != null) {
      subscription.getPushConfigBuilder().setPushEndpoint(endpoint);
    }
    if (deadLetterTopic != null) {
      subscription
          .getDeadLetterPolicyBuilder()
          .setDeadLetterTopic("projects/" + PROJECT + "/topics/" + deadLetterTopic)
          .setMaxDeliveryAttempts(5);
    }
    subscriptions.put(subscription.getName(), subscription.build());
  }

  private ServiceUsageGrpc.ServiceUsageImplBase serviceUsage() {
    return new ServiceUsageGrpc.ServiceUsageImplBase() {
      @Override
      public void listServices(
          ListServicesRequest request, StreamObserver<ListServicesResponse> response) {
        listPages++;
        List<Service> all = new ArrayList<>();
        for (String api : enabled) {
          all.add(service(api, State.ENABLED));
        }
        if (!request.getFilter().equals("state:ENABLED")) {
          for (String api : disabled) {
            all.add(service(api, State.DISABLED));
          }
        }
        int size = request.getPageSize() > 0 ? Math.min(request.getPageSize(), 200) : DEFAULT_PAGE;
        int from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
        int to = Math.min(all.size(), from + size);
        response.onNext(
            ListServicesResponse.newBuilder()
                .addAllServices(all.subList(from, to))
                .setNextPageToken(to < all.size() ? Integer.toString(to) : "")
                .build());
        response.onCompleted();
      }
    };
  }

  private static Service service(String api, State state) {
    return Service.newBuilder()
        .setName("projects/" + NUMBER + "/services/" + api)
        .setParent("projects/" + NUMBER)
        .setState(state)
        .build();
  }

  private JobsGrpc.JobsImplBase jobsService() {
    return new JobsGrpc.JobsImplBase() {
      @Override
      public void testIamPermissions(
          TestIamPermissionsRequest request, StreamObserver<TestIamPermissionsResponse> response) {
        response.onNext(held(request));
        response.onCompleted();
      }

      @Override
      public void getJob(GetJobRequest request, StreamObserver<Job> response) {
        Job job = jobs.get(request.getName());
        if (job == null) {
          response.onError(Status.NOT_FOUND.withDescription(request.getName()).asException());
          return;
        }
        response.onNext(job.toBuilder().setName(request.getName()).build());
        response.onCompleted();
      }
    };
  }

  private SubscriberGrpc.SubscriberImplBase subscriber() {
    return new SubscriberGrpc.SubscriberImplBase() {
      @Override
      public void getSubscription(
          GetSubscriptionRequest request, StreamObserver<Subscription> response) {
        Subscription subscription = subscriptions.get(request.getSubscription());
        if (subscription == null) {
          response.onError(Status.NOT_FOUND.withDescription("Resource not found").asException());
          return;
        }
        response.onNext(subscription);
        response.onCompleted();
      }
    };
  }

  private com.google.cloud.resourcemanager.v3.ProjectsGrpc.ProjectsImplBase projects() {
    return new com.google.cloud.resourcemanager.v3.ProjectsGrpc.ProjectsImplBase() {
      @Override
      public void testIamPermissions(
          TestIamPermissionsRequest request, StreamObserver<TestIamPermissionsResponse> response) {
        response.onNext(held(request));
        response.onCompleted();
      }
    };
  }

  private com.google.cloud.functions.v2.FunctionServiceGrpc.FunctionServiceImplBase
      functionService() {
    return new com.google.cloud.functions.v2.FunctionServiceGrpc.FunctionServiceImplBase() {
      @Override
      public void getFunction(
          com.google.cloud.functions.v2.GetFunctionRequest request,
          StreamObserver<com.google.cloud.functions.v2.Function> response) {
        String prefix = "projects/" + PROJECT + "/locations/" + REGION + "/functions/";
        com.google.cloud.functions.v2.Function.State state =
            request.getName().startsWith(prefix)
                ? functions.get(request.getName().substring(prefix.length()))
                : null;
        if (state == null) {
          response.onError(Status.NOT_FOUND.withDescription(request.getName()).asException());
          return;
        }
        response.onNext(
            com.google.cloud.functions.v2.Function.newBuilder()
                .setName(request.getName())
                .setState(state)
                .build());
        response.onCompleted();
      }
    };
  }

  private com.google.devtools.artifactregistry.v1.ArtifactRegistryGrpc.ArtifactRegistryImplBase
      artifactRegistry() {
    return new com.google.devtools.artifactregistry.v1.ArtifactRegistryGrpc
        .ArtifactRegistryImplBase() {
      @Override
      public void getTag(
          com.google.devtools.artifactregistry.v1.GetTagRequest request,
          StreamObserver<com.google.devtools.artifactregistry.v1.Tag> response) {
        String pkg = request.getName().replaceAll("/tags/.*", "");
        answer(
            request.getName(),
            response,
            com.google.devtools.artifactregistry.v1.Tag.newBuilder()
                .setName(request.getName())
                .setVersion(pkg + "/versions/sha256:" + "cd".repeat(32))
                .build());
      }

      @Override
      public void getVersion(
          com.google.devtools.artifactregistry.v1.GetVersionRequest request,
          StreamObserver<com.google.devtools.artifactregistry.v1.Version> response) {
        answer(
            request.getName(),
            response,
            com.google.devtools.artifactregistry.v1.Version.newBuilder()
                .setName(request.getName())
                .build());
      }
    };
  }

  /** The registry's entry of this name, or NOT_FOUND. */
  private <T> void answer(String name, StreamObserver<T> response, T entry) {
    if (!registry.contains(name)) {
      response.onError(Status.NOT_FOUND.withDescription(name).asException());
      return;
    }
    response.onNext(entry);
    response.onCompleted();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    if (loopback != null) {
      loopback.shutdownNow();
    }
    http.close();
  }
}

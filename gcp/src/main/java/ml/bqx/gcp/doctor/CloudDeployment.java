package ml.bqx.gcp.doctor;

import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.serviceusage.v1.ListServicesRequest;
import com.google.api.serviceusage.v1.Service;
import com.google.api.serviceusage.v1.ServiceUsageClient;
import com.google.api.serviceusage.v1.ServiceUsageSettings;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.functions.v2.FunctionServiceClient;
import com.google.cloud.functions.v2.FunctionServiceSettings;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.devtools.artifactregistry.v1.ArtifactRegistryClient;
import com.google.devtools.artifactregistry.v1.ArtifactRegistrySettings;
import com.google.pubsub.v1.Subscription;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code bqx doctor} reads of a deployment, with Google's clients: the enabled APIs (Service
 * Usage), the job's image (Cloud Run Admin v2) and whether Artifact Registry holds it, the
 * functions (Cloud Functions v2), the push subscriptions (Pub/Sub), and what each service account
 * may do on each resource ({@link AccountPermissions}). Read-only: it changes nothing.
 */
public final class CloudDeployment implements AutoCloseable {
  private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  private final String project;
  private final String region;
  private final Identities identities;
  private final AccountPermissions permissions;
  private final ManagedChannel channel;
  private final ServiceUsageClient serviceUsage;
  private final JobsClient jobs;
  private final SubscriptionAdminClient subscriptions;
  private final FunctionServiceClient functions;
  private final ArtifactRegistryClient registry;

  /** The credentials of a service account, or the caller's for {@code null}. */
  public interface Identities {
    Credentials of(String account) throws IOException;
  }

  /**
   * @param channel closed with the clients; null when the endpoints own none
   */
  public CloudDeployment(
      String project,
      String region,
      GoogleEndpoints endpoints,
      Identities identities,
      ManagedChannel channel)
      throws IOException {
    this.project = project;
    this.region = region;
    this.identities = identities;
    this.permissions = new AccountPermissions(project, endpoints);
    this.channel = channel;
    Credentials caller = identities.of(null);
    serviceUsage =
        ServiceUsageClient.create(
            endpoints.grpc(ServiceUsageSettings.newBuilder(), caller).build());
    jobs = JobsClient.create(endpoints.grpc(JobsSettings.newBuilder(), caller).build());
    subscriptions =
        SubscriptionAdminClient.create(
            endpoints.grpc(SubscriptionAdminSettings.newBuilder(), caller).build());
    functions =
        FunctionServiceClient.create(
            endpoints.grpc(FunctionServiceSettings.newBuilder(), caller).build());
    registry =
        ArtifactRegistryClient.create(
            endpoints.grpc(ArtifactRegistrySettings.newBuilder(), caller).build());
  }

  /**
   * The deployment of this project and region. On Google's endpoints (both hosts blank) it reads
   * with the application default credentials and tests a service account's permissions as that
   * account, impersonated with a short-lived token (the caller needs
   * iam.serviceAccounts.getAccessToken on it). On stand-ins ({@code grpcHost} host:port, plain
   * text; {@code httpHost} a base URL) it calls with no credentials, as Google's emulators expect:
   * the accounts are then not told apart.
   */
  public static CloudDeployment connect(
      String project, String region, String grpcHost, String httpHost) throws IOException {
    if (grpcHost.isBlank() && httpHost.isBlank()) {
      return new CloudDeployment(
          project, region, GoogleEndpoints.GOOGLE, CloudDeployment::impersonated, null);
    }
    if (grpcHost.isBlank() || httpHost.isBlank()) {
      throw new IllegalArgumentException(
          "set both stand-in endpoints (gRPC host:port and HTTP base URL) or neither");
    }
    ManagedChannel channel = ManagedChannelBuilder.forTarget(grpcHost).usePlaintext().build();
    return new CloudDeployment(
        project,
        region,
        new GoogleEndpoints(
            FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)), httpHost),
        account -> NoCredentials.getInstance(),
        channel);
  }

  private static Credentials impersonated(String account) throws IOException {
    GoogleCredentials caller = GoogleCredentials.getApplicationDefault();
    return account == null
        ? caller
        : ImpersonatedCredentials.create(caller, account, null, List.of(CLOUD_PLATFORM), 300);
  }

  /**
   * The permissions of these that the account (null: the caller) holds on the resource: its
   * testIamPermissions called as the account.
   */
  public Set<String> permissions(String account, String resource, Set<String> wanted)
      throws IOException {
    return permissions.held(identities.of(account), resource, wanted);
  }

  /**
   * The names of the APIs enabled on the project ({@code pubsub.googleapis.com}): services.list
   * with the filter {@code state:ENABLED}, every page.
   */
  public Set<String> enabledApis() {
    Set<String> names = new TreeSet<>();
    ListServicesRequest request =
        ListServicesRequest.newBuilder()
            .setParent("projects/" + project)
            .setFilter("state:ENABLED")
            .build();
    for (Service service : serviceUsage.listServices(request).iterateAll()) {
      // name is projects/NUMBER/services/NAME; config.name is the bare NAME.
      String name = service.getName();
      names.add(name.substring(name.lastIndexOf('/') + 1));
    }
    return names;
  }

  /** The image of the job's first container, or empty when there is no such job. */
  public Optional<String> jobImage(String job) {
    try {
      Job found = jobs.getJob("projects/" + project + "/locations/" + region + "/jobs/" + job);
      return found.getTemplate().getTemplate().getContainersList().stream()
          .findFirst()
          .map(Container::getImage);
    } catch (NotFoundException absent) {
      return Optional.empty();
    }
  }

  /**
   * Whether Artifact Registry holds this version or tag of a package: its tags.get or versions.get;
   * false when it answers NOT_FOUND.
   *
   * @param name {@code projects/P/locations/L/repositories/R/packages/PKG/tags/T} or {@code
   *     .../versions/sha256:...}
   */
  public boolean registryHolds(String name) {
    try {
      if (name.contains("/tags/")) {
        registry.getTag(name);
      } else {
        registry.getVersion(name);
      }
      return true;
    } catch (NotFoundException absent) {
      return false;
    }
  }

  /** The state of a function ({@code ACTIVE}, {@code FAILED}, ...), or empty when absent. */
  public Optional<String> functionState(String function) {
    try {
      return Optional.of(
          functions
              .getFunction(
                  "projects/" + project + "/locations/" + region + "/functions/" + function)
              .getState()
              .name());
    } catch (NotFoundException absent) {
      return Optional.empty();
    }
  }

  /** A push subscription's topic, endpoint and dead-letter policy, or empty when it is absent. */
  public Optional<PushSubscription> subscription(String name) {
    try {
      Subscription found =
          subscriptions.getSubscription("projects/" + project + "/subscriptions/" + name);
      return Optional.of(
          new PushSubscription(
              found.getTopic(),
              found.getPushConfig().getPushEndpoint(),
              found.getDeadLetterPolicy().getDeadLetterTopic(),
              found.getDeadLetterPolicy().getMaxDeliveryAttempts()));
    } catch (NotFoundException absent) {
      return Optional.empty();
    }
  }

  /** The full name of one of the project's topics. */
  public String topic(String name) {
    return "projects/" + project + "/topics/" + name;
  }

  @Override
  public void close() {
    serviceUsage.close();
    jobs.close();
    subscriptions.close();
    functions.close();
    registry.close();
    if (channel != null) {
      channel.shutdownNow();
    }
  }
}

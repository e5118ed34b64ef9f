package ml.bqx.gcp.doctor;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.api.serviceusage.v1.ListServicesRequest;
import com.google.api.serviceusage.v1.Service;
import com.google.api.serviceusage.v1.ServiceUsageClient;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.iam.v1.TestIamPermissionsRequest;
import com.google.pubsub.v1.Subscription;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code bqx doctor} reads of a deployment, with Google's clients: the enabled APIs (Service
 * Usage), the job's image (Cloud Run Admin v2), the push subscriptions (Pub/Sub), and what each
 * service account may do on the topics and the job (testIamPermissions). Read-only: it changes
 * nothing.
 */
public final class CloudDeployment implements AutoCloseable {
  private static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  private final String project;
  private final String region;
  private final ServiceUsageClient serviceUsage;
  private final JobsClient jobs;
  private final SubscriptionAdminClient subscriptions;
  private final Identities identities;
  private final TransportChannelProvider transport;

  /** The credentials of a service account, or the caller's for {@code null}. */
  public interface Identities {
    Credentials of(String account) throws IOException;
  }

  /**
   * @param transport where the per-account IAM clients connect; null for Google's endpoints
   */
  public CloudDeployment(
      String project,
      String region,
      ServiceUsageClient serviceUsage,
      JobsClient jobs,
      SubscriptionAdminClient subscriptions,
      Identities identities,
      TransportChannelProvider transport) {
    this.project = project;
    this.region = region;
    this.serviceUsage = serviceUsage;
    this.jobs = jobs;
    this.subscriptions = subscriptions;
    this.identities = identities;
    this.transport = transport;
  }

  /**
   * The deployment of this project and region, read with the application default credentials; a
   * service account's permissions are tested as that account, impersonated with a short-lived token
   * (the caller needs iam.serviceAccounts.getAccessToken on it).
   */
  public static CloudDeployment connect(String project, String region) throws IOException {
    return new CloudDeployment(
        project,
        region,
        ServiceUsageClient.create(),
        JobsClient.create(),
        SubscriptionAdminClient.create(),
        CloudDeployment::impersonated,
        null);
  }

  private static Credentials impersonated(String account) throws IOException {
    GoogleCredentials caller = GoogleCredentials.getApplicationDefault();
    return account == null
        ? caller
        : ImpersonatedCredentials.create(caller, account, null, List.of(CLOUD_PLATFORM), 300);
  }

  /** Whether {@link #permissions} can test a resource of this name: a topic or a job. */
  public static boolean testsPermissionsOn(String resource) {
    return resource.matches("projects/[^/]+/topics/[^/]+")
        || resource.matches("projects/[^/]+/locations/[^/]+/jobs/[^/]+");
  }

  /**
   * The permissions of these that the account holds on a topic or a job: testIamPermissions (the
   * IAMPolicy method of Pub/Sub, Cloud Run's Jobs method) called as the account.
   */
  public Set<String> permissions(String account, String resource, Set<String> permissions)
      throws IOException {
    TestIamPermissionsRequest request =
        TestIamPermissionsRequest.newBuilder()
            .setResource(resource)
            .addAllPermissions(permissions)
            .build();
    FixedCredentialsProvider credentials = FixedCredentialsProvider.create(identities.of(account));
    if (resource.contains("/topics/")) {
      TopicAdminSettings.Builder settings =
          TopicAdminSettings.newBuilder().setCredentialsProvider(credentials);
      if (transport != null) {
        settings.setTransportChannelProvider(transport);
      }
      try (TopicAdminClient topics = TopicAdminClient.create(settings.build())) {
        return new TreeSet<>(topics.testIamPermissions(request).getPermissionsList());
      }
    }
    JobsSettings.Builder settings = JobsSettings.newBuilder().setCredentialsProvider(credentials);
    if (transport != null) {
      settings.setTransportChannelProvider(transport);
    }
    try (JobsClient asAccount = JobsClient.create(settings.build())) {
      return new TreeSet<>(asAccount.testIamPermissions(request).getPermissionsList());
    }
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
  }
}

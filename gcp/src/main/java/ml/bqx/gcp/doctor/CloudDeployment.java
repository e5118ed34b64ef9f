package ml.bqx.gcp.doctor;

import com.google.api.gax.rpc.NotFoundException;
import com.google.api.serviceusage.v1.ListServicesRequest;
import com.google.api.serviceusage.v1.Service;
import com.google.api.serviceusage.v1.ServiceUsageClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.run.v2.Container;
import com.google.cloud.run.v2.Job;
import com.google.cloud.run.v2.JobsClient;
import com.google.pubsub.v1.Subscription;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code bqx doctor} reads of a deployment, with Google's clients: the enabled APIs (Service
 * Usage), the job's image (Cloud Run Admin v2), the push subscriptions (Pub/Sub). Read-only: it
 * changes nothing.
 */
public final class CloudDeployment implements AutoCloseable {
  private final String project;
  private final String region;
  private final ServiceUsageClient serviceUsage;
  private final JobsClient jobs;
  private final SubscriptionAdminClient subscriptions;

  public CloudDeployment(
      String project,
      String region,
      ServiceUsageClient serviceUsage,
      JobsClient jobs,
      SubscriptionAdminClient subscriptions) {
    this.project = project;
    this.region = region;
    this.serviceUsage = serviceUsage;
    this.jobs = jobs;
    this.subscriptions = subscriptions;
  }

  /** The deployment of this project and region, with the clients' default credentials. */
  public static CloudDeployment connect(String project, String region) throws IOException {
    return new CloudDeployment(
        project,
        region,
        ServiceUsageClient.create(),
        JobsClient.create(),
        SubscriptionAdminClient.create());
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

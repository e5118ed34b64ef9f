package ml.bqx.gcp.doctor;

import com.google.auth.Credentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.cloud.resourcemanager.v3.ProjectsClient;
import com.google.cloud.resourcemanager.v3.ProjectsSettings;
import com.google.cloud.run.v2.JobsClient;
import com.google.cloud.run.v2.JobsSettings;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.iam.v1.TestIamPermissionsRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an account may do on a resource, by the resource's own testIamPermissions called as that
 * account: a topic (Pub/Sub's IAMPolicy), the job (Cloud Run's Jobs), the project (Resource Manager
 * v3), a bucket (Cloud Storage's {@code b/BUCKET/iam/testPermissions}) or a BigQuery table
 * (tables.testIamPermissions; BigQuery has none for a dataset).
 */
final class AccountPermissions {
  private static final Pattern TOPIC = Pattern.compile("projects/[^/]+/topics/[^/]+");
  private static final Pattern JOB = Pattern.compile("projects/[^/]+/locations/[^/]+/jobs/[^/]+");
  private static final Pattern PROJECT = Pattern.compile("projects/([^/]+)");
  private static final Pattern BUCKET = Pattern.compile("buckets/([^/]+)");
  private static final Pattern TABLE =
      Pattern.compile("projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)");

  private final String project;
  private final GoogleEndpoints endpoints;

  AccountPermissions(String project, GoogleEndpoints endpoints) {
    this.project = project;
    this.endpoints = endpoints;
  }

  /**
   * The permissions of these that the account of {@code as} holds on the resource.
   *
   * @throws IllegalArgumentException for a resource of none of those kinds
   */
  Set<String> held(Credentials as, String resource, Set<String> permissions) throws IOException {
    List<String> asked = new ArrayList<>(permissions);
    TestIamPermissionsRequest request =
        TestIamPermissionsRequest.newBuilder()
            .setResource(resource)
            .addAllPermissions(asked)
            .build();
    if (TOPIC.matcher(resource).matches()) {
      try (TopicAdminClient topics =
          TopicAdminClient.create(endpoints.grpc(TopicAdminSettings.newBuilder(), as).build())) {
        return new TreeSet<>(topics.testIamPermissions(request).getPermissionsList());
      }
    }
    if (JOB.matcher(resource).matches()) {
      try (JobsClient jobs =
          JobsClient.create(endpoints.grpc(JobsSettings.newBuilder(), as).build())) {
        return new TreeSet<>(jobs.testIamPermissions(request).getPermissionsList());
      }
    }
    if (PROJECT.matcher(resource).matches()) {
      try (ProjectsClient projects =
          ProjectsClient.create(endpoints.grpc(ProjectsSettings.newBuilder(), as).build())) {
        return new TreeSet<>(projects.testIamPermissions(request).getPermissionsList());
      }
    }
    Matcher bucket = BUCKET.matcher(resource);
    if (bucket.matches()) {
      // An HTTP/JSON Storage holds no threads or channels to close.
      Storage storage =
          endpoints.http(StorageOptions.newBuilder(), project, as).build().getService();
      List<Boolean> holds = storage.testIamPermissions(bucket.group(1), asked);
      Set<String> held = new TreeSet<>();
      for (int i = 0; i < asked.size(); i++) {
        if (holds.get(i)) {
          held.add(asked.get(i));
        }
      }
      return held;
    }
    Matcher table = TABLE.matcher(resource);
    if (table.matches()) {
      BigQuery bigQuery =
          endpoints.http(BigQueryOptions.newBuilder(), project, as).build().getService();
      return new TreeSet<>(
          bigQuery.testIamPermissions(
              TableId.of(table.group(1), table.group(2), table.group(3)), asked));
    }
    throw new IllegalArgumentException("no testIamPermissions for " + resource);
  }
}

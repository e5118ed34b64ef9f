package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * terraform/'s grants against the recorded calls (recorded-calls.json, kept current by
 * RecordedCallsTest) and Google's permission tables (permissions.json): passes on the real files,
 * fails on each kind of over- and under-grant.
 */
class IamContractTest {
  private static Terraform real;
  private static Map<String, List<IamContract.Call>> recorded;
  private static JsonNode table;

  @TempDir Path copy;

  @BeforeAll
  static void load() throws IOException {
    real = Terraform.load(TerraformCopy.TERRAFORM);
    recorded = IamContract.readRecording(IamContract.IAM.resolve("recorded-calls.json"));
    table = IamContract.readTable(IamContract.IAM.resolve("permissions.json"));
  }

  @Test
  void terraform_grantsEveryRecordedPermission_andNoRoleWithoutAUse() {
    assertThat(IamContract.violations(real, recorded, table)).isEmpty();
  }

  @Test
  void recording_coversEveryComponent() {
    assertThat(recorded.keySet())
        .containsExactlyInAnyOrder("job", "dispatch", "completion", "reconcile", "operator");
  }

  @Test
  void functionsWithoutPublishOnPairs_isReported_issuePoint1() {
    List<String> violations =
        withoutBlock(
            "iam.tf", "resource \"google_pubsub_topic_iam_member\" \"function_publish_pairs\"");
    for (String function : List.of("dispatch", "completion", "reconcile")) {
      assertThat(violations)
          .contains(
              function
                  + " lacks pubsub.topics.publish on topic bqx-pairs (its code calls"
                  + " google.pubsub.v1.Publisher.Publish): no role terraform grants it there holds"
                  + " it");
    }
  }

  @Test
  void operatorWithoutPublishOnEvents_isReported_issuePoint2() {
    assertThat(
            withoutBlock(
                "iam.tf",
                "resource \"google_pubsub_topic_iam_member\" \"operators_publish_events\""))
        .contains(
            "operator lacks pubsub.topics.publish on topic bqx-stage-events (its code calls"
                + " google.pubsub.v1.Publisher.Publish): no role terraform grants it there holds it");
  }

  @Test
  void reconcileHoldingJobsExecutor_isReported_issuePoint7() {
    assertThat(
            appended(
                "iam.tf",
                "resource \"google_cloud_run_v2_job_iam_member\" \"reconcile_cancel\" {\n"
                    + "  project  = var.project_id\n"
                    + "  location = google_cloud_run_v2_job.pipeline.location\n"
                    + "  name     = google_cloud_run_v2_job.pipeline.name\n"
                    + "  role     = \"roles/run.jobsExecutor\"\n"
                    + "  member   = \"serviceAccount:${google_service_account.function[\"reconcile\"].email}\"\n"
                    + "}\n"))
        .contains(
            "google_cloud_run_v2_job_iam_member.reconcile_cancel grants roles/run.jobsExecutor to"
                + " reconcile on job bqx-pipeline, but none of its permissions was recorded in use"
                + " there");
  }

  @Test
  void jobReadingADatasetItNeverReads_isReported_issuePoint7() {
    assertThat(
            appended(
                "iam.tf",
                "resource \"google_bigquery_dataset_iam_member\" \"job_raw_read\" {\n"
                    + "  project    = var.project_id\n"
                    + "  dataset_id = \"bqx_bq_uscen1_v2\"\n"
                    + "  role       = \"roles/bigquery.dataViewer\"\n"
                    + "  member     = \"serviceAccount:${google_service_account.job.email}\"\n"
                    + "}\n"))
        .contains(
            "google_bigquery_dataset_iam_member.job_raw_read grants roles/bigquery.dataViewer to"
                + " job on dataset bqx_bq_uscen1_v2, but none of its permissions was recorded in"
                + " use there");
  }

  @Test
  void readOnlyRoleWhereTheCodeReplacesObjects_isReported() {
    assertThat(
            mutated(
                "iam.tf",
                "  bucket = google_storage_bucket.staging.name\n  role   = \"roles/storage.objectUser\"\n  member = \"serviceAccount:${google_service_account.function[each.key].email}\"",
                "  bucket = google_storage_bucket.staging.name\n  role   = \"roles/storage.objectViewer\"\n  member = \"serviceAccount:${google_service_account.function[each.key].email}\""))
        .contains(
            "completion lacks storage.objects.delete on bucket BQX_STAGING (its code calls"
                + " storage.objects.insert+replace): no role terraform grants it there holds it");
  }

  @Test
  void projectWideGrantOfWhatIsUsedOnABucket_isReported() {
    assertThat(
            mutated(
                "iam.tf",
                "resource \"google_storage_bucket_iam_member\" \"job_output_objects\" {\n"
                    + "  bucket = google_storage_bucket.output.name\n",
                "resource \"google_project_iam_member\" \"job_output_objects\" {\n"
                    + "  project = var.project_id\n"))
        .contains(
            "google_project_iam_member.job_output_objects grants roles/storage.objectUser to job"
                + " on the whole project; it is used only on bucket BQX_OUTPUT, bucket BQX_STAGING:"
                + " grant it there");
  }

  @Test
  void roleMissingFromGooglesTables_isReported() {
    assertThat(
            mutated(
                "iam.tf",
                "  bucket = google_storage_bucket.output.name\n  role   = \"roles/storage.objectViewer\"\n  member = \"serviceAccount:${google_service_account.function[\"completion\"].email}\"",
                "  bucket = google_storage_bucket.output.name\n  role   = \"roles/storage.admin\"\n  member = \"serviceAccount:${google_service_account.function[\"completion\"].email}\""))
        .contains("permissions.json has no entry for role roles/storage.admin");
  }

  @Test
  void grantToAnAccountThatMakesNoCall_mustBeAListedPlatformGrant() {
    assertThat(
            appended(
                "iam.tf",
                "resource \"google_project_iam_member\" \"build_everything\" {\n"
                    + "  project = var.project_id\n"
                    + "  role    = \"roles/storage.objectUser\"\n"
                    + "  member  = \"serviceAccount:${google_service_account.build.email}\"\n"
                    + "}\n"))
        .contains(
            "google_project_iam_member.build_everything grants roles/storage.objectUser to build,"
                + " which makes no recorded call: list it in permissions.json's platform grants"
                + " with its reason, or remove it");
  }

  @Test
  void callOfAMethodWithoutAKnownPermission_isReported() {
    Map<String, List<IamContract.Call>> more = new LinkedHashMap<>(recorded);
    List<IamContract.Call> calls = new ArrayList<>(more.get("job"));
    calls.add(new IamContract.Call("storage.objects.restore", "buckets/bqx-staging"));
    more.put("job", calls);
    assertThat(IamContract.violations(real, more, table))
        .contains("permissions.json has no entry for storage.objects.restore (called by job)");
  }

  @Test
  void platformGrantOfAForEachBlock_coversEachInstance_andGoneIsReported() {
    assertThat(
            withoutBlock(
                "functions.tf", "resource \"google_cloud_run_service_iam_member\" \"invoker\""))
        .containsExactly(
            "permissions.json lists platform grant google_cloud_run_service_iam_member.invoker,"
                + " which terraform lacks");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private List<String> withoutBlock(String file, String header) {
    return violations(TerraformCopy.withoutBlock(copy, file, header));
  }

  private List<String> mutated(String file, String from, String to) {
    return violations(TerraformCopy.replaced(copy, file, from, to));
  }

  private List<String> appended(String file, String block) {
    return violations(TerraformCopy.appended(copy, file, block));
  }

  private static List<String> violations(Terraform mutated) {
    List<String> violations = IamContract.violations(mutated, recorded, table);
    assertThat(violations).as("a mutation the contract must notice").isNotEmpty();
    return violations;
  }
}

package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The staging bucket's lifecycle rules follow the job's checkpoint cache setting. */
class StagingLifecycleTest {
  @TempDir Path copy;

  @Test
  void realFiles_deleteTheCacheADayAfterTheJobStopsReusingIt() {
    assertThat(StagingLifecycle.violations(Terraform.load(TerraformCopy.TERRAFORM))).isEmpty();
  }

  @Test
  void cacheRuleNotFollowingTheJobsSetting_isReported() {
    assertThat(
            StagingLifecycle.violations(
                TerraformCopy.replaced(
                    copy,
                    "storage.tf",
                    "age            = var.checkpoint_cache_days + 1",
                    "age            = 7")))
        .containsExactly(
            "the checkpoint cache's lifecycle rule has age '7', expected"
                + " '${var.checkpoint_cache_days + 1}' (a day after the job stops reusing a"
                + " checkpoint)");
  }

  @Test
  void jobReadingAnotherVariable_isReported() {
    assertThat(
            StagingLifecycle.violations(
                TerraformCopy.replaced(
                    copy,
                    "job.tf",
                    "tostring(var.checkpoint_cache_days)",
                    "tostring(var.staging_retention_days)")))
        .containsExactly(
            "the checkpoint cache's lifecycle rule has age '${var.checkpoint_cache_days + 1}',"
                + " expected '${var.staging_retention_days + 1}' (a day after the job stops"
                + " reusing a checkpoint)");
  }

  @Test
  void generalRuleWithoutPrefixes_isReportedAsDeletingTheCache() {
    assertThat(
            StagingLifecycle.violations(
                TerraformCopy.replaced(
                    copy,
                    "storage.tf",
                    "      matches_prefix = [\"runs/\", \"slots.json\", \"bqx-upload-parts/\"]\n",
                    "")))
        .containsExactly(
            "a staging lifecycle rule aged '${var.staging_retention_days}' also deletes the"
                + " checkpoint cache cache/",
            "the staging bucket has no lifecycle rule deleting runs/ by"
                + " var.staging_retention_days");
  }

  @Test
  void cacheRuleRemoved_isReported() {
    assertThat(
            StagingLifecycle.violations(
                TerraformCopy.replaced(
                    copy,
                    "storage.tf",
                    "matches_prefix = [\"cache/\"]",
                    "matches_prefix = [\"x/\"]")))
        .containsExactly(
            "the staging bucket has no lifecycle rule for the checkpoint cache cache/");
  }

  @Test
  void retentionRuleWithoutTheUploadParts_isReported() {
    assertThat(
            StagingLifecycle.violations(
                TerraformCopy.replaced(
                    copy,
                    "storage.tf",
                    "matches_prefix = [\"runs/\", \"slots.json\", \"bqx-upload-parts/\"]",
                    "matches_prefix = [\"runs/\", \"slots.json\"]")))
        .containsExactly(
            "the staging bucket's retention rule does not delete bqx-upload-parts/ (the parts a"
                + " killed parallel composite upload leaves behind)");
  }
}

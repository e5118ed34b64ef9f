package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import ml.bqx.core.config.Deployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** terraform/ against the code: passes on the real files, fails on each kind of mutated copy. */
class TerraformContractTest {
  private static final Path TERRAFORM = TerraformCopy.TERRAFORM;

  private static Terraform real;

  @TempDir Path copy;

  @BeforeAll
  static void parseRealFiles() {
    real = Terraform.load(TERRAFORM);
  }

  @Test
  void realFiles_agreeWithTheCode() {
    assertThat(TerraformContract.violations(real, CodeNames.fromCode())).isEmpty();
  }

  @Test
  void apis_terraformEnablesExactlyTheOnesDoctorChecks() {
    String apis = real.local("apis").asText();
    Set<String> enabled = new TreeSet<>();
    java.util.regex.Matcher name =
        java.util.regex.Pattern.compile("\"([a-z0-9.-]+\\.googleapis\\.com)\"").matcher(apis);
    while (name.find()) {
      enabled.add(name.group(1));
    }
    assertThat(enabled).isNotEmpty().isEqualTo(new TreeSet<>(Deployment.APIS));
  }

  @Test
  void realFiles_declareEveryConcern() throws IOException {
    try (Stream<Path> files = Files.list(TERRAFORM)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains(
              "versions.tf",
              "variables.tf",
              "outputs.tf",
              "apis.tf",
              "storage.tf",
              "pubsub.tf",
              "iam.tf",
              "job.tf",
              "functions.tf",
              "scheduler.tf",
              "monitoring.tf",
              "terraform.tfvars.example");
    }
    assertThat(real.resources("google_cloudfunctions2_function")).hasSize(3);
  }

  @Test
  void everyVariable_isTypedAndDescribed() throws IOException {
    String text = Files.readString(TERRAFORM.resolve("variables.tf"), StandardCharsets.UTF_8);
    int variables =
        text.split("\nvariable \"", -1).length - 1 + (text.startsWith("variable") ? 1 : 0);
    assertThat(variables).isGreaterThan(15);
    assertThat(text.split("\n  type ", -1).length - 1).isEqualTo(variables);
    assertThat(text.split("\n  description ", -1).length - 1).isEqualTo(variables);
  }

  @Test
  void syntaxError_failsWithFileAndLine() {
    Path folder =
        TerraformCopy.folderWith(copy, "broken.tf", "resource \"a\" \"b\" {\n  x = \n}\n");
    Hcl.HclSyntaxException e =
        assertThrows(Hcl.HclSyntaxException.class, () -> Terraform.load(folder));
    assertThat(e.getMessage()).contains("broken.tf:2");
  }

  // ---- terraform side mutated -----------------------------------------------------------------

  @Test
  void jobVariableRemoved_isReported() {
    assertThat(mutated("job.tf", "    BQX_MIN_ROWS            = tostring(var.min_rows)\n", ""))
        .contains(
            "job bqx-pipeline does not set BQX_MIN_ROWS, which its code reads (EnvKey readers)");
  }

  @Test
  void functionVariableRemoved_isReportedForEachFunction() {
    List<String> violations =
        mutated("functions.tf", "    BQX_LAUNCHER               = local.launcher\n", "");
    for (Deployment.Function f : Deployment.FUNCTIONS) {
      assertThat(violations)
          .contains(f.name() + " does not set BQX_LAUNCHER, which its code reads (EnvKey readers)");
    }
  }

  @Test
  void terraformVariableRemoved_isReported() {
    assertThat(
            violations(TerraformCopy.withoutBlock(copy, "variables.tf", "variable \"min_rows\"")))
        .contains("var.min_rows is used but not declared in variables.tf");
  }

  @Test
  void variableNobodyReads_isReported() {
    assertThat(
            mutated(
                "job.tf",
                "    BQX_LOG_FORMAT          = \"json\"\n",
                "    BQX_LOG_FORMAT          = \"json\"\n    BQX_MAX_CONCURRENT = \"4\"\n"))
        .contains(
            "job bqx-pipeline sets BQX_MAX_CONCURRENT, which its code does not read (not an EnvKey reader)");
  }

  @Test
  void emulatorHostSetInTheCloud_isReported() {
    assertThat(
            mutated(
                "job.tf",
                "    BQX_LOG_FORMAT          = \"json\"\n",
                "    BQX_LOG_FORMAT          = \"json\"\n    PUBSUB_EMULATOR_HOST = \"127.0.0.1:8085\"\n"))
        .contains("job bqx-pipeline sets PUBSUB_EMULATOR_HOST, which must stay unset in the cloud");
  }

  @Test
  void topicRemoved_isReported() {
    List<String> violations =
        mutated("pubsub.tf", "name    = \"bqx-reconcile\"", "name    = \"bqx-tick\"");
    assertThat(violations)
        .contains("topic bqx-reconcile is named by the code but not declared in terraform")
        .contains("bqx-reconcile is not pushed from topic bqx-reconcile");
  }

  @Test
  void deadLetterSubscriptionRemoved_isReported() {
    assertThat(
            mutated(
                "pubsub.tf",
                "  topic   = google_pubsub_topic.dead_letter.id",
                "  topic   = google_pubsub_topic.events.id"))
        .contains("dead-letter topic bqx-dead-letter has no subscription to read it");
  }

  @Test
  void deadLetterSubscriptionRenamed_isReported() {
    assertThat(mutated("pubsub.tf", "\"bqx-dead-letter-read\"", "\"bqx-dead-letter-pull\""))
        .contains(
            "dead-letter topic bqx-dead-letter is read by [bqx-dead-letter-pull], not by"
                + " bqx-dead-letter-read");
  }

  @Test
  void pushSubscriptionRenamed_isReportedForEachFunction() {
    List<String> violations = mutated("pubsub.tf", "-push\"", "-pushed\"");
    for (Deployment.Function f : Deployment.FUNCTIONS) {
      assertThat(violations)
          .contains(
              f.name()
                  + " is pushed by subscription "
                  + f.name()
                  + "-pushed, not "
                  + f.subscription());
    }
  }

  @Test
  void primitiveRoleAdded_isReported() {
    assertThat(
            mutated(
                "iam.tf", "  role    = \"roles/bigquery.jobUser\"", "  role    = \"roles/editor\""))
        .contains("google_project_iam_member.job_bigquery_jobs grants primitive role roles/editor");
  }

  @Test
  void allUsersAdded_isReported() {
    assertThat(
            appended(
                "iam.tf",
                "resource \"google_storage_bucket_iam_member\" \"oops\" {\n"
                    + "  bucket = google_storage_bucket.output.name\n"
                    + "  role   = \"roles/storage.objectViewer\"\n"
                    + "  member = \"allUsers\"\n}\n"))
        .contains("google_storage_bucket_iam_member.oops names public member allUsers");
  }

  @Test
  void allAuthenticatedUsersInvokingTheFunctions_isReportedForEachFunction() {
    List<String> violations =
        mutated(
            "functions.tf",
            "  member   = \"serviceAccount:${google_service_account.trigger[each.key].email}\"",
            "  member   = \"allAuthenticatedUsers\"");
    for (Deployment.Function f : Deployment.FUNCTIONS) {
      assertThat(violations)
          .contains(
              "google_cloud_run_service_iam_member.invoker[\""
                  + key(f)
                  + "\"] names public member allAuthenticatedUsers")
          .contains(f.name() + " is invokable by allAuthenticatedUsers, not its push identity");
    }
  }

  @Test
  void serviceAccountKey_isReported() {
    assertThat(
            appended(
                "iam.tf",
                "resource \"google_service_account_key\" \"job\" {\n"
                    + "  service_account_id = google_service_account.job.name\n}\n"))
        .contains("google_service_account_key.job creates a service account key");
  }

  @Test
  void bucketWithoutUniformAccessOrPap_isReported() {
    String mutatedText =
        TerraformCopy.read("storage.tf")
            .replaceFirst(
                "uniform_bucket_level_access = true", "uniform_bucket_level_access = false")
            .replaceFirst(
                "public_access_prevention    = \"enforced\"",
                "public_access_prevention    = \"inherited\"");
    assertThat(violations(TerraformCopy.withFile(copy, "storage.tf", mutatedText)))
        .contains("google_storage_bucket.output lacks uniform bucket-level access")
        .contains("google_storage_bucket.output does not enforce public access prevention");
  }

  @Test
  void functionsOpenToTheInternet_areReportedForEachFunction() {
    List<String> violations =
        mutated(
            "functions.tf",
            "ingress_settings               = \"ALLOW_INTERNAL_ONLY\"",
            "ingress_settings               = \"ALLOW_ALL\"");
    for (Deployment.Function f : Deployment.FUNCTIONS) {
      assertThat(violations)
          .contains(f.name() + " ingress is not internal only (ALLOW_INTERNAL_ONLY)");
    }
  }

  @Test
  void functionAddedToTheMapButNotToTheCode_isReported() {
    assertThat(
            mutated(
                "functions.tf",
                "  functions = {\n",
                "  functions = {\n"
                    + "    backfill = {\n"
                    + "      name          = \"bqx-backfill\"\n"
                    + "      class         = \"BackfillFunction\"\n"
                    + "      entry_point   = \"ml.bqx.functions.BackfillPush\"\n"
                    + "      description   = \"Backfills.\"\n"
                    + "      topic         = google_pubsub_topic.pairs.id\n"
                    + "      max_instances = 1\n"
                    + "    }\n"))
        .containsExactly("function bqx-backfill is declared but the code has no such function");
  }

  @Test
  void functionLeftOutOfTheMap_isReported() {
    String text = TerraformCopy.read("functions.tf");
    String entry = text.substring(text.indexOf("    reconcile = {"));
    entry = entry.substring(0, entry.indexOf("\n    }\n") + 7);
    assertThat(mutated("functions.tf", entry, ""))
        .contains("function bqx-reconcile is not declared")
        .contains("google_service_account.function[\"reconcile\"] is used but not declared");
  }

  @Test
  void referenceToAKeyTheMapLacks_isReported() {
    assertThat(
            mutated(
                "iam.tf",
                "google_service_account.function[\"reconcile\"].email}\"\n}\n\n# GetExecution",
                "google_service_account.function[\"reconciler\"].email}\"\n}\n\n# GetExecution"))
        .contains("google_service_account.function[\"reconciler\"] is used but not declared");
  }

  @Test
  void movedBlockToAnAddressNotDeclared_orFromOneStillDeclared_isReported() {
    assertThat(
            appended(
                "moved.tf",
                "moved {\n"
                    + "  from = google_service_account.job\n"
                    + "  to   = google_service_account.function[\"job\"]\n"
                    + "}\n"))
        .contains(
            "moved block to google_service_account.function[\"job\"], which is not declared",
            "moved block from google_service_account.job, which is still declared");
  }

  @Test
  void jobRetriedByCloudRun_isReported() {
    assertThat(mutated("job.tf", "max_retries = 0", "max_retries = 3"))
        .contains("job max_retries must be 0 (retries belong to the run ledger)");
  }

  // ---- code side changed ----------------------------------------------------------------------

  @Test
  void codeReadsANewJobVariable_isReported() {
    Set<String> jobEnv = new TreeSet<>(CodeNames.fromCode().jobEnv());
    jobEnv.add("BQX_NEW_SETTING");
    assertThat(TerraformContract.violations(real, CodeNames.fromCode().withJobEnv(jobEnv)))
        .contains(
            "job bqx-pipeline does not set BQX_NEW_SETTING, which its code reads (EnvKey readers)");
  }

  @Test
  void codeStopsReadingAFunctionVariable_isReported() {
    Set<String> env = new TreeSet<>(CodeNames.fromCode().functionEnv());
    env.remove("BQX_PROJECT_MAX_CONCURRENT");
    assertThat(TerraformContract.violations(real, CodeNames.fromCode().withFunctionEnv(env)))
        .contains(
            "bqx-completion sets BQX_PROJECT_MAX_CONCURRENT, which its code does not read (not an EnvKey reader)");
  }

  @Test
  void codeNamesANewTopic_isReported() {
    Set<String> topics = new TreeSet<>(CodeNames.fromCode().topics());
    topics.add("bqx-run-summaries");
    assertThat(TerraformContract.violations(real, CodeNames.fromCode().withTopics(topics)))
        .contains("topic bqx-run-summaries is named by the code but not declared in terraform");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private List<String> mutated(String file, String from, String to) {
    return violations(TerraformCopy.replaced(copy, file, from, to));
  }

  private List<String> appended(String file, String block) {
    return violations(TerraformCopy.appended(copy, file, block));
  }

  /** The key of a function in local.functions: its component (dispatch, completion, reconcile). */
  private static String key(Deployment.Function function) {
    return function.component().name().toLowerCase(Locale.ROOT);
  }

  private static List<String> violations(Terraform mutated) {
    List<String> violations = TerraformContract.violations(mutated, CodeNames.fromCode());
    assertThat(violations).as("a mutation the contract must notice").isNotEmpty();
    return violations;
  }
}

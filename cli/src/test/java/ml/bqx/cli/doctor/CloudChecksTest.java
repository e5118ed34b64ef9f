package ml.bqx.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ml.bqx.core.config.BqxConfig;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.pair.Pair;
import ml.bqx.gcp.doctor.CloudDeployment;
import ml.bqx.local.warehouse.SeedProgress;
import ml.bqx.local.warehouse.SeedScale;
import ml.bqx.local.warehouse.SeedSpec;
import ml.bqx.local.warehouse.SeededWarehouse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud checks of {@code bqx doctor} through Google's clients against wire fakes of Service
 * Usage, Cloud Run Admin and Pub/Sub: a passing and a failing case of each.
 */
class CloudChecksTest {
  private static final List<Pair> PAIRS = List.of(Pair.parse("audcad"));
  static final String IMAGE =
      "us-central1-docker.pkg.dev/bqx-test/bqx/pipeline-job:build-20261201-1402";
  static final String TAG =
      "projects/bqx-test/locations/us-central1/repositories/bqx/packages/pipeline-job/tags/"
          + "build-20261201-1402";
  @TempDir static Path dir;
  private static BqxConfig config;
  private FakeDeployment fake;
  private CloudDeployment deployment;

  @BeforeAll
  static void seed() throws IOException {
    Path file = dir.resolve("warehouse.duckdb");
    new SeededWarehouse(file)
        .add("tiny", SeedSpec.of(SeedScale.TINY, PAIRS, 42), SeedProgress.NONE);
    config =
        BqxConfig.from(
            Map.of(
                "BQX_PROJECT",
                FakeDeployment.PROJECT,
                "BQX_WAREHOUSE",
                "duckdb://" + file,
                "BQX_STAGING",
                "gs://bqx-staging",
                "BQX_OUTPUT",
                "gs://bqx-output/training"));
  }

  @BeforeEach
  void start() throws IOException {
    fake = new FakeDeployment();
    deployment = fake.deployment();
  }

  @AfterEach
  void stop() {
    deployment.close();
    fake.close();
  }

  /**
   * What terraform/deploy.sh leaves: every API, the job on a build tag that Artifact Registry
   * holds, three active functions with push subscriptions, and every grant iam.tf makes (written
   * out here from terraform/iam.tf and the roles' permissions, not from the recording the doctor
   * reads).
   */
  static void deployed(FakeDeployment fake) {
    grantTopicsAndJob(fake);
    grantBucketsDatasetAndProject(fake);
    fake.enabled.addAll(Deployment.APIS);
    for (int i = 0; i < 60; i++) {
      fake.enabled.add("other" + i + ".googleapis.com"); // more than one page of 50
    }
    fake.job(Deployment.JOB_NAME, IMAGE);
    fake.registry.add(TAG);
    for (Deployment.Function function : Deployment.FUNCTIONS) {
      fake.functions.put(function.name(), com.google.cloud.functions.v2.Function.State.ACTIVE);
      fake.subscription(
          function.subscription(),
          function.topic(),
          "https://" + function.name() + "-xyz-uc.a.run.app",
          Deployment.DEAD_LETTER_TOPIC);
    }
  }

  private void deployed() {
    deployed(fake);
  }

  /**
   * iam.tf's bucket grants (roles/storage.objectUser: create, delete, get, list objects;
   * roles/storage.objectViewer: get, list), the job's roles/bigquery.dataViewer on the dataset
   * (held by its tables) and its project roles bigquery.jobUser and bigquery.readSessionUser.
   */
  private static void grantBucketsDatasetAndProject(FakeDeployment fake) {
    String[] objectUser = {
      "storage.objects.create",
      "storage.objects.delete",
      "storage.objects.get",
      "storage.objects.list"
    };
    String[] objectViewer = {"storage.objects.get", "storage.objects.list"};
    String job = "bqx-job@bqx-test.iam.gserviceaccount.com";
    fake.grant(job, "buckets/bqx-staging", objectUser);
    fake.grant(job, "buckets/bqx-output", objectUser);
    for (String function : List.of("dispatch", "completion", "reconcile")) {
      fake.grant(
          "bqx-" + function + "@bqx-test.iam.gserviceaccount.com",
          "buckets/bqx-staging",
          objectUser);
    }
    fake.grant(
        "bqx-completion@bqx-test.iam.gserviceaccount.com", "buckets/bqx-output", objectViewer);
    fake.grant(
        "bqx-reconcile@bqx-test.iam.gserviceaccount.com", "buckets/bqx-output", objectViewer);
    fake.grant("operator", "buckets/bqx-staging", objectUser);
    fake.grant("operator", "buckets/bqx-output", objectViewer);
    fake.grant(
        job,
        "projects/bqx-test/datasets/bqx_ml_v3_features_v2/tables/targets_audcad",
        "bigquery.tables.get",
        "bigquery.tables.getData",
        "bigquery.tables.list");
    fake.grant(
        job,
        "projects/bqx-test",
        "bigquery.jobs.create",
        "bigquery.readsessions.create",
        "bigquery.readsessions.getData");
  }

  private static void grantTopicsAndJob(FakeDeployment fake) {
    String job = "projects/bqx-test/locations/us-central1/jobs/bqx-pipeline";
    String pairs = "projects/bqx-test/topics/bqx-pairs";
    String events = "projects/bqx-test/topics/bqx-stage-events";
    String publish = "pubsub.topics.publish";
    fake.grant("bqx-job@bqx-test.iam.gserviceaccount.com", events, publish);
    for (String function : List.of("dispatch", "completion", "reconcile")) {
      String account = "bqx-" + function + "@bqx-test.iam.gserviceaccount.com";
      fake.grant(account, pairs, publish);
      fake.grant(account, events, publish);
    }
    // dispatch: roles/run.jobsExecutorWithOverrides on the job; reconcile: roles/run.viewer.
    fake.grant(
        "bqx-dispatch@bqx-test.iam.gserviceaccount.com",
        job,
        "run.executions.cancel",
        "run.jobs.run",
        "run.jobs.runWithOverrides");
    fake.grant("bqx-reconcile@bqx-test.iam.gserviceaccount.com", job, "run.executions.get");
    fake.grant(
        "operator",
        job,
        "run.executions.cancel",
        "run.jobs.run",
        "run.jobs.runWithOverrides",
        "run.executions.get");
    fake.grant("operator", pairs, publish);
    fake.grant("operator", events, publish);
  }

  /** The line of this check (the text before its colon). */
  private String line(String check) {
    return line(lines(), check);
  }

  private static String line(List<String> lines, String check) {
    return lines.stream()
        .filter(l -> l.substring(6).startsWith(check + ":"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line of " + check + " in " + lines));
  }

  private List<String> lines() {
    List<String> lines = new ArrayList<>();
    CloudChecks.run(config, PAIRS, deployment).forEach(r -> lines.add(r.line()));
    return lines;
  }

  @Test
  void aCompleteDeployment_passesEveryCheck() {
    deployed();

    List<String> lines = lines();

    assertThat(lines).filteredOn(l -> l.startsWith("FAIL")).isEmpty();
    assertThat(lines)
        .contains(
            "ok    iam job on projects/bqx-test/topics/bqx-stage-events:"
                + " bqx-job@bqx-test.iam.gserviceaccount.com holds pubsub.topics.publish",
            "ok    iam dispatch on projects/bqx-test/locations/us-central1/jobs/bqx-pipeline:"
                + " bqx-dispatch@bqx-test.iam.gserviceaccount.com holds run.executions.cancel,"
                + " run.jobs.run, run.jobs.runWithOverrides",
            "ok    iam job on buckets/bqx-output: bqx-job@bqx-test.iam.gserviceaccount.com holds"
                + " storage.objects.create, storage.objects.delete, storage.objects.get",
            "ok    iam job on projects/bqx-test: bqx-job@bqx-test.iam.gserviceaccount.com holds"
                + " bigquery.jobs.create, bigquery.readsessions.create,"
                + " bigquery.readsessions.getData",
            "ok    iam job on projects/bqx-test/datasets/bqx_ml_v3_features_v2:"
                + " bqx-job@bqx-test.iam.gserviceaccount.com holds bigquery.tables.get,"
                + " bigquery.tables.getData (on its table targets_audcad; bigquery.tables.list"
                + " untested)",
            "ok    iam operator on buckets/bqx-staging: you (operator) holds"
                + " storage.objects.create, storage.objects.delete, storage.objects.get,"
                + " storage.objects.list");
    assertThat(lines.stream().filter(l -> l.startsWith("ok    iam ")).count())
        .as("a line per account and resource the recording names")
        // topics 12 as before; buckets: completion, dispatch, reconcile, job and operator 9;
        // the job's dataset and project 2
        .isEqualTo(23);
    assertThat(lines.stream().filter(l -> !l.startsWith("ok    iam ")).toList())
        .containsExactly(
            "ok    apis: all 15 APIs enabled on bqx-test",
            "ok    job image: " + IMAGE + " (pinned tag build-20261201-1402)",
            "ok    job image in registry: Artifact Registry holds " + TAG,
            "ok    function bqx-dispatch: ACTIVE",
            "ok    function bqx-completion: ACTIVE",
            "ok    function bqx-reconcile: ACTIVE",
            "ok    subscription bqx-dispatch-push: pushes to https://bqx-dispatch-xyz-uc.a.run.app,"
                + " dead letters to bqx-dead-letter after 5 attempts",
            "ok    subscription bqx-completion-push: pushes to"
                + " https://bqx-completion-xyz-uc.a.run.app, dead letters to bqx-dead-letter after"
                + " 5 attempts",
            "ok    subscription bqx-reconcile-push: pushes to"
                + " https://bqx-reconcile-xyz-uc.a.run.app, dead letters to bqx-dead-letter after"
                + " 5 attempts",
            "ok    warehouse audcad: targets_audcad and 6 feature tables");
    assertThat(fake.listPages).as("every page of services.list").isEqualTo(2);
  }

  @Test
  void apis_aDisabledOne_failsNamingItAndTheCommandThatEnablesIt() {
    deployed();
    fake.enabled.remove("bigquerystorage.googleapis.com");
    fake.disabled.add("bigquerystorage.googleapis.com");

    assertThat(line("apis"))
        .isEqualTo(
            "FAIL  apis: not enabled on bqx-test: bigquerystorage.googleapis.com -> fix: gcloud"
                + " services enable bigquerystorage.googleapis.com --project bqx-test (or"
                + " terraform/deploy.sh, whose apis.tf enables them)");
  }

  @Test
  void jobImage_latestOrNoTagOrNoJob_fails_aDigestPasses() {
    deployed();
    String registry = "us-central1-docker.pkg.dev/bqx-test/bqx/pipeline-job";
    fake.job(Deployment.JOB_NAME, registry + ":latest");
    assertThat(line("job image"))
        .isEqualTo(
            "FAIL  job image: "
                + registry
                + ":latest is the moving tag :latest -> fix: deploy an image tagged by its build"
                + " (terraform/deploy.sh tags each build) or by digest");
    fake.job(Deployment.JOB_NAME, registry);
    assertThat(line("job image")).contains(registry + " has no tag, which means :latest");
    String digest = registry + "@sha256:" + "ab".repeat(32);
    fake.job(Deployment.JOB_NAME, digest);
    assertThat(line("job image")).isEqualTo("ok    job image: " + digest + " (pinned by digest)");
    fake.jobs.clear();
    assertThat(line("job image"))
        .isEqualTo(
            "FAIL  job image: no Cloud Run job bqx-pipeline in the project's region -> fix: deploy"
                + " it: terraform/deploy.sh");
  }

  @Test
  void subscriptions_absentPullOrWithoutDeadLetters_fail_eachWithItsReason() {
    deployed();
    fake.subscriptions.remove("projects/bqx-test/subscriptions/bqx-dispatch-push");
    fake.subscription("bqx-completion-push", "bqx-stage-events", null, "bqx-dead-letter");
    fake.subscription("bqx-reconcile-push", "bqx-reconcile", "https://r.run.app", null);

    List<String> lines = lines();

    assertThat(line(lines, "subscription bqx-dispatch-push"))
        .isEqualTo(
            "FAIL  subscription bqx-dispatch-push: absent: bqx-dispatch gets no messages -> fix:"
                + " apply terraform/pubsub.tf again (terraform/deploy.sh)");
    assertThat(line(lines, "subscription bqx-completion-push"))
        .startsWith(
            "FAIL  subscription bqx-completion-push: a pull subscription: nothing pushes to"
                + " bqx-completion");
    assertThat(line(lines, "subscription bqx-reconcile-push"))
        .startsWith(
            "FAIL  subscription bqx-reconcile-push: no dead-letter policy: a message that always"
                + " fails is retried for 7 days");
  }

  @Test
  void iam_anAccountWithoutAGrant_failsNamingWhatItLacks() {
    deployed();
    fake.grants
        .get("bqx-dispatch@bqx-test.iam.gserviceaccount.com")
        .remove("projects/bqx-test/locations/us-central1/jobs/bqx-pipeline");

    assertThat(lines())
        .contains(
            "FAIL  iam dispatch on projects/bqx-test/locations/us-central1/jobs/bqx-pipeline:"
                + " bqx-dispatch@bqx-test.iam.gserviceaccount.com lacks run.executions.cancel,"
                + " run.jobs.run, run.jobs.runWithOverrides -> fix: apply terraform/iam.tf again"
                + " (terraform/deploy.sh), which grants them");
  }

  @Test
  void jobImage_notInTheRegistry_fails_aDigestItHoldsPasses() {
    deployed();
    fake.registry.clear();
    assertThat(line("job image in registry"))
        .isEqualTo(
            "FAIL  job image in registry: Artifact Registry has no "
                + TAG
                + ": the job cannot start -> fix: push the image (terraform/deploy.sh builds and"
                + " pushes it), or deploy one that exists");

    String digest = "sha256:" + "ab".repeat(32);
    fake.job(
        Deployment.JOB_NAME, "us-central1-docker.pkg.dev/bqx-test/bqx/team/pipeline-job@" + digest);
    String version =
        "projects/bqx-test/locations/us-central1/repositories/bqx/packages/team%2Fpipeline-job"
            + "/versions/"
            + digest;
    fake.registry.add(version);
    assertThat(line("job image in registry"))
        .as("a nested image's package has its slash escaped")
        .isEqualTo("ok    job image in registry: Artifact Registry holds " + version);

    fake.job(Deployment.JOB_NAME, "docker.io/someone/pipeline-job:v1");
    assertThat(line("job image in registry"))
        .startsWith(
            "FAIL  job image in registry: docker.io/someone/pipeline-job:v1 is not in Artifact"
                + " Registry");
  }

  @Test
  void functions_absentOrNotActive_fail_eachWithItsReason() {
    deployed();
    fake.functions.remove("bqx-dispatch");
    fake.functions.put("bqx-completion", com.google.cloud.functions.v2.Function.State.FAILED);

    List<String> lines = lines();

    assertThat(line(lines, "function bqx-dispatch"))
        .isEqualTo(
            "FAIL  function bqx-dispatch: not deployed in the project's region -> fix: deploy it:"
                + " terraform/deploy.sh (terraform/functions.tf)");
    assertThat(line(lines, "function bqx-completion"))
        .isEqualTo(
            "FAIL  function bqx-completion: state FAILED, not serving -> fix: see its build and"
                + " deploy logs (gcloud functions describe bqx-completion --gen2), then"
                + " terraform/deploy.sh again");
    assertThat(line(lines, "function bqx-reconcile"))
        .isEqualTo("ok    function bqx-reconcile: ACTIVE");
  }

  @Test
  void iam_aBucketGrantMissing_failsAsThatAccount_onThatBucketOnly() {
    deployed();
    fake.grants.get("bqx-job@bqx-test.iam.gserviceaccount.com").remove("buckets/bqx-output");

    List<String> lines = lines();

    assertThat(line(lines, "iam job on buckets/bqx-output"))
        .isEqualTo(
            "FAIL  iam job on buckets/bqx-output: bqx-job@bqx-test.iam.gserviceaccount.com lacks"
                + " storage.objects.create, storage.objects.delete, storage.objects.get -> fix:"
                + " apply terraform/iam.tf again (terraform/deploy.sh), which grants them");
    assertThat(line(lines, "iam job on buckets/bqx-staging")).startsWith("ok    ");
    assertThat(line(lines, "iam completion on buckets/bqx-output")).startsWith("ok    ");
  }

  @Test
  void iam_theDatasetOrProjectGrantMissing_fails() {
    deployed();
    fake.grants
        .get("bqx-job@bqx-test.iam.gserviceaccount.com")
        .remove("projects/bqx-test/datasets/bqx_ml_v3_features_v2/tables/targets_audcad");
    fake.grants
        .get("bqx-job@bqx-test.iam.gserviceaccount.com")
        .get("projects/bqx-test")
        .remove("bigquery.readsessions.create");

    List<String> lines = lines();

    assertThat(line(lines, "iam job on projects/bqx-test/datasets/bqx_ml_v3_features_v2"))
        .startsWith(
            "FAIL  iam job on projects/bqx-test/datasets/bqx_ml_v3_features_v2:"
                + " bqx-job@bqx-test.iam.gserviceaccount.com lacks bigquery.tables.get,"
                + " bigquery.tables.getData -> fix:");
    assertThat(line(lines, "iam job on projects/bqx-test"))
        .startsWith(
            "FAIL  iam job on projects/bqx-test: bqx-job@bqx-test.iam.gserviceaccount.com lacks"
                + " bigquery.readsessions.create -> fix:");
  }

  @Test
  void iam_bucketsNotSet_failsOnce_andTestsTheOtherResources() {
    deployed();
    BqxConfig withoutBuckets =
        BqxConfig.from(
            Map.of(
                "BQX_PROJECT",
                FakeDeployment.PROJECT,
                "BQX_WAREHOUSE",
                config.get(ml.bqx.core.config.EnvKey.BQX_WAREHOUSE),
                "BQX_STAGING",
                "file:///tmp/staging"));

    List<String> lines = new ArrayList<>();
    CloudChecks.run(withoutBuckets, PAIRS, deployment).forEach(r -> lines.add(r.line()));

    assertThat(lines)
        .filteredOn(l -> l.startsWith("FAIL"))
        .containsExactly(
            "FAIL  iam on buckets: BQX_STAGING or BQX_OUTPUT names no gs:// bucket -> fix: set"
                + " BQX_STAGING=gs://BUCKET and BQX_OUTPUT=gs://BUCKET (terraform output)");
    assertThat(lines).filteredOn(l -> l.startsWith("ok    iam ")).hasSize(14);
  }

  @Test
  void warehouse_aPairWithoutTables_fails() {
    deployed();

    List<CheckResult> results = CloudChecks.run(config, List.of(Pair.parse("gbpusd")), deployment);

    assertThat(results.get(results.size() - 1).line())
        .startsWith("FAIL  warehouse gbpusd: no targets table targets_gbpusd in duckdb://");
  }
}

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
  private static final String IMAGE =
      "us-central1-docker.pkg.dev/bqx-test/bqx/pipeline-job:build-20261201-1402";
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
            Map.of("BQX_PROJECT", FakeDeployment.PROJECT, "BQX_WAREHOUSE", "duckdb://" + file));
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
   * What terraform/deploy.sh leaves: every API, the job on a build tag, three push subscriptions,
   * and every grant iam.tf makes on the topics and the job (written out here from terraform/iam.tf,
   * not from the recording the doctor reads).
   */
  private void deployed() {
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
    fake.enabled.addAll(Deployment.APIS);
    for (int i = 0; i < 60; i++) {
      fake.enabled.add("other" + i + ".googleapis.com"); // more than one page of 50
    }
    fake.job(Deployment.JOB_NAME, IMAGE);
    for (Deployment.Function function : Deployment.FUNCTIONS) {
      fake.subscription(
          function.subscription(),
          function.topic(),
          "https://" + function.name() + "-xyz-uc.a.run.app",
          Deployment.DEAD_LETTER_TOPIC);
    }
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
                + " run.jobs.run, run.jobs.runWithOverrides");
    assertThat(lines.stream().filter(l -> l.startsWith("ok    iam ")).count())
        .as("a line per account and topic or job the recording names")
        // completion 2 topics; dispatch, reconcile and the operator the job and 2 topics; job 1
        .isEqualTo(12);
    assertThat(lines.stream().filter(l -> !l.startsWith("ok    iam ")).toList())
        .containsExactly(
            "ok    apis: all 15 APIs enabled on bqx-test",
            "ok    job image: " + IMAGE + " (pinned tag build-20261201-1402)",
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

    assertThat(lines().get(0))
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
    assertThat(lines().get(1))
        .isEqualTo(
            "FAIL  job image: "
                + registry
                + ":latest is the moving tag :latest -> fix: deploy an image tagged by its build"
                + " (terraform/deploy.sh tags each build) or by digest");
    fake.job(Deployment.JOB_NAME, registry);
    assertThat(lines().get(1)).contains(registry + " has no tag, which means :latest");
    String digest = registry + "@sha256:" + "ab".repeat(32);
    fake.job(Deployment.JOB_NAME, digest);
    assertThat(lines().get(1)).isEqualTo("ok    job image: " + digest + " (pinned by digest)");
    fake.jobs.clear();
    assertThat(lines().get(1))
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

    assertThat(lines.get(2))
        .isEqualTo(
            "FAIL  subscription bqx-dispatch-push: absent: bqx-dispatch gets no messages -> fix:"
                + " apply terraform/pubsub.tf again (terraform/deploy.sh)");
    assertThat(lines.get(3))
        .startsWith(
            "FAIL  subscription bqx-completion-push: a pull subscription: nothing pushes to"
                + " bqx-completion");
    assertThat(lines.get(4))
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
  void warehouse_aPairWithoutTables_fails() {
    deployed();

    List<CheckResult> results = CloudChecks.run(config, List.of(Pair.parse("gbpusd")), deployment);

    assertThat(results.get(results.size() - 1).line())
        .startsWith("FAIL  warehouse gbpusd: no targets table targets_gbpusd in duckdb://");
  }
}

package ml.bqx.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.config.Deployment.Component;
import ml.bqx.deployment.Terraform.Resource;

/** Compares terraform/ with the code's names and grants; each disagreement is one line. */
final class TerraformContract {
  private static final Set<String> PRIMITIVE_ROLES =
      Set.of("roles/owner", "roles/editor", "roles/viewer");
  private static final Set<String> PUBLIC_MEMBERS = Set.of("allUsers", "allAuthenticatedUsers");
  private static final String JOB_TYPE = "google_cloud_run_v2_job";
  private static final String FUNCTION_TYPE = "google_cloudfunctions2_function";
  private static final String TOPIC_TYPE = "google_pubsub_topic";
  private static final String BUCKET_TYPE = "google_storage_bucket";
  private static final String SA_TYPE = "google_service_account";
  private static final String INVOKER = "roles/run.invoker";

  private final Terraform tf;
  private final CodeNames code;
  private final List<String> violations = new ArrayList<>();

  private TerraformContract(Terraform tf, CodeNames code) {
    this.tf = tf;
    this.code = code;
  }

  /** Every way terraform and the code disagree; empty when they agree. */
  static List<String> violations(Terraform tf, CodeNames code) {
    TerraformContract contract = new TerraformContract(tf, code);
    contract.checkReferences();
    contract.checkTopics();
    contract.checkJob();
    contract.checkFunctions();
    contract.checkBuckets();
    contract.checkIam();
    contract.checkScheduler();
    contract.checkMonitoringAndOutputs();
    return List.copyOf(contract.violations);
  }

  private void fail(String violation) {
    violations.add(violation);
  }

  // ---- references ----------------------------------------------------------------------------

  private void checkReferences() {
    Set<String> missing = new TreeSet<>();
    for (String expression : tf.expressions()) {
      for (String ref : Terraform.references(expression)) {
        String name = ref.substring(ref.indexOf('.') + 1);
        if (ref.startsWith("var.") && !tf.hasVariable(name)) {
          missing.add("var." + name + " is used but not declared in variables.tf");
        } else if (ref.startsWith("local.") && !tf.hasLocal(name)) {
          missing.add("local." + name + " is used but not declared");
        } else if (ref.startsWith("google_") && !tf.declares(ref)) {
          missing.add(ref + " is used but not declared");
        }
      }
    }
    for (Terraform.Moved move : tf.moved()) {
      if (!tf.declares(move.to())) {
        missing.add("moved block to " + move.to() + ", which is not declared");
      }
      if (tf.declares(move.from())) {
        missing.add("moved block from " + move.from() + ", which is still declared");
      }
    }
    missing.forEach(this::fail);
  }

  // ---- topics -------------------------------------------------------------------------------

  private void checkTopics() {
    Set<String> declared = new TreeSet<>();
    tf.resources(TOPIC_TYPE).forEach(t -> declared.add(t.text("name")));
    for (String topic : code.topics()) {
      if (!declared.contains(topic)) {
        fail("topic " + topic + " is named by the code but not declared in terraform");
      }
    }
    Optional<Resource> deadLetter = topicNamed(Deployment.DEAD_LETTER_TOPIC);
    List<String> readers =
        deadLetter.isEmpty()
            ? List.of()
            : tf.resources("google_pubsub_subscription").stream()
                .filter(
                    s -> Terraform.references(s.text("topic")).contains(deadLetter.get().address()))
                .map(s -> s.text("name"))
                .toList();
    if (readers.isEmpty()) {
      fail("dead-letter topic " + Deployment.DEAD_LETTER_TOPIC + " has no subscription to read it");
    } else if (!readers.contains(Deployment.DEAD_LETTER_SUBSCRIPTION)) {
      fail(
          "dead-letter topic "
              + Deployment.DEAD_LETTER_TOPIC
              + " is read by "
              + readers
              + ", not by "
              + Deployment.DEAD_LETTER_SUBSCRIPTION);
    }
  }

  private Optional<Resource> topicNamed(String name) {
    return tf.resources(TOPIC_TYPE).stream().filter(t -> t.text("name").equals(name)).findFirst();
  }

  // ---- the job ------------------------------------------------------------------------------

  private void checkJob() {
    Optional<Resource> found =
        tf.resources(JOB_TYPE).stream()
            .filter(j -> j.text("name").equals(code.jobName()))
            .findFirst();
    if (found.isEmpty()) {
      fail("Cloud Run job " + code.jobName() + " is not declared");
      return;
    }
    Resource job = found.get();
    JsonNode container = job.at("template.template.containers");
    Set<String> env = new TreeSet<>();
    if (container != null) {
      JsonNode dynamic = container.path("dynamic").path("env");
      for (JsonNode d : dynamic) {
        env.addAll(tf.mapKeys(d.get("for_each")));
      }
      for (JsonNode e : container.path("env")) {
        env.add(e.path("name").asText());
      }
    }
    compareEnv("job " + code.jobName(), env, code.jobEnvToSet(), code.jobEnv(), true);
    if (!job.text("template.template.max_retries").equals("0")) {
      fail("job max_retries must be 0 (retries belong to the run ledger)");
    }
    expectSa(job, "template.template.service_account", Component.JOB);
    expectDefault(
        job.text("template.template.timeout"), "job_timeout_seconds", "7200", "job timeout");
    expectDefault(
        job.text("template.template.containers.resources.limits.cpu"), "job_cpu", "4", "job cpu");
    expectDefault(
        job.text("template.template.containers.resources.limits.memory"),
        "job_memory_gib",
        "12",
        "job memory");
  }

  private void expectDefault(String expression, String variable, String value, String what) {
    if (!Terraform.references(expression).contains("var." + variable)) {
      fail(what + " does not come from var." + variable);
    } else if (!tf.variable(variable).path("default").asText().equals(value)) {
      fail("var." + variable + " default is not " + value + " (" + what + ")");
    }
  }

  private void compareEnv(
      String where, Set<String> set, Set<String> required, Set<String> readers, boolean isJob) {
    for (String key : required) {
      if (!set.contains(key)) {
        fail(where + " does not set " + key + ", which its code reads (EnvKey readers)");
      }
    }
    for (String key : set) {
      if (code.localOnlyEnv().contains(key)) {
        fail(where + " sets " + key + ", which must stay unset in the cloud");
      } else if (isJob && code.perExecutionEnv().contains(key)) {
        fail(where + " sets " + key + ", which the dispatcher sets per execution");
      } else if (!readers.contains(key)) {
        fail(where + " sets " + key + ", which its code does not read (not an EnvKey reader)");
      }
    }
  }

  // ---- functions ----------------------------------------------------------------------------

  private void checkFunctions() {
    Set<String> expectedNames = new TreeSet<>();
    for (Deployment.Function function : code.functions()) {
      expectedNames.add(function.name());
      Optional<Resource> found =
          tf.resources(FUNCTION_TYPE).stream()
              .filter(f -> f.text("name").equals(function.name()))
              .findFirst();
      if (found.isEmpty()) {
        fail("function " + function.name() + " is not declared");
        continue;
      }
      checkFunction(function, found.get());
    }
    for (Resource f : tf.resources(FUNCTION_TYPE)) {
      if (!expectedNames.contains(f.text("name"))) {
        fail("function " + f.text("name") + " is declared but the code has no such function");
      }
    }
  }

  private void checkFunction(Deployment.Function function, Resource f) {
    String name = function.name();
    if (!f.text("build_config.entry_point").equals(function.entryPoint())) {
      fail(name + " entry point is not " + function.entryPoint());
    }
    if (!f.text("build_config.runtime").equals("java17")) {
      fail(name + " runtime is not java17");
    }
    if (!Terraform.references(f.text("build_config.service_account"))
        .contains(SA_TYPE + ".build")) {
      fail(name + " is not built by google_service_account.build (build_config.service_account)");
    }
    if (!f.text("service_config.ingress_settings").equals("ALLOW_INTERNAL_ONLY")) {
      fail(name + " ingress is not internal only (ALLOW_INTERNAL_ONLY)");
    }
    if (f.body().has("event_trigger")) {
      fail(name + " has an Eventarc trigger: its subscription could hold no dead-letter policy");
    }
    Set<String> env =
        new TreeSet<>(tf.mapKeys(f.at("service_config").get("environment_variables")));
    compareEnv(name, env, code.functionEnvToSet(), code.functionEnv(), false);
    expectSa(f, "service_config.service_account_email", function.component());

    // Pushed by a subscription of its topic that terraform owns, as an identity of its own.
    List<Resource> pushes = new ArrayList<>();
    for (Resource s : tf.resources("google_pubsub_subscription")) {
      if (Terraform.references(s.text("push_config.push_endpoint")).contains(f.address())) {
        pushes.add(s);
      }
    }
    if (pushes.size() != 1) {
      fail(name + " is pushed by " + pushes.size() + " subscriptions, not one");
      return;
    }
    Resource push = pushes.get(0);
    if (!push.text("name").equals(function.subscription())) {
      fail(
          name
              + " is pushed by subscription "
              + push.text("name")
              + ", not "
              + function.subscription());
    }
    Optional<Resource> topic = tf.referenced(push.text("topic"), TOPIC_TYPE);
    if (topic.isEmpty() || !topic.get().text("name").equals(function.topic())) {
      fail(name + " is not pushed from topic " + function.topic());
    }
    Optional<Resource> deadLetter =
        tf.referenced(push.text("dead_letter_policy.dead_letter_topic"), TOPIC_TYPE);
    if (deadLetter.isEmpty()
        || !deadLetter.get().text("name").equals(Deployment.DEAD_LETTER_TOPIC)) {
      fail(push.address() + " has no dead-letter policy to " + Deployment.DEAD_LETTER_TOPIC);
    }
    if (push.text("retry_policy.minimum_backoff").isEmpty()) {
      fail(push.address() + " has no retry policy (backoff)");
    }
    Optional<Resource> triggerSa =
        tf.referenced(push.text("push_config.oidc_token.service_account_email"), SA_TYPE);
    if (triggerSa.isEmpty()) {
      fail(push.address() + " pushes without an OIDC token of its own account");
      return;
    }
    List<String> invokers = new ArrayList<>();
    for (Resource binding : tf.resources("google_cloud_run_service_iam_member")) {
      if (Terraform.references(binding.text("service")).contains(f.address())) {
        invokers.add(binding.text("role") + " " + binding.text("member"));
        if (!binding.text("role").equals(INVOKER)) {
          fail(name + " service grants " + binding.text("role") + " (only run.invoker allowed)");
        } else if (!Terraform.references(binding.text("member"))
            .contains(triggerSa.get().address())) {
          fail(name + " is invokable by " + binding.text("member") + ", not its push identity");
        }
      }
    }
    if (invokers.isEmpty()) {
      fail(name + " has no run.invoker binding for its push identity");
    }
  }

  private void expectSa(Resource r, String path, Component component) {
    String expected = component.name().toLowerCase(Locale.ROOT);
    if (!tf.account(r.text(path)).equals(Optional.of(expected))) {
      fail(r.address() + " does not run as the account bqx-" + expected);
    }
  }

  // ---- buckets ------------------------------------------------------------------------------

  private void checkBuckets() {
    for (Resource bucket : tf.resources(BUCKET_TYPE)) {
      if (!bucket.text("uniform_bucket_level_access").equals("true")) {
        fail(bucket.address() + " lacks uniform bucket-level access");
      }
      if (!bucket.text("public_access_prevention").equals("enforced")) {
        fail(bucket.address() + " does not enforce public access prevention");
      }
    }
    Optional<Resource> output = bucketOf("BQX_OUTPUT");
    Optional<Resource> staging = bucketOf("BQX_STAGING");
    if (output.isEmpty()) {
      fail("BQX_OUTPUT does not name a declared bucket");
    } else if (!output.get().text("versioning.enabled").equals("true")) {
      fail("output bucket is not versioned");
    }
    if (staging.isEmpty()) {
      fail("BQX_STAGING does not name a declared bucket");
    } else if (!Terraform.references(staging.get().text("lifecycle_rule.condition.age"))
        .contains("var.staging_retention_days")) {
      fail("staging bucket has no lifecycle rule aged by var.staging_retention_days");
    }
  }

  private Optional<Resource> bucketOf(String envKey) {
    JsonNode value = tf.local("job_env").get(envKey);
    return value == null ? Optional.empty() : tf.referenced(value.asText(), BUCKET_TYPE);
  }

  // ---- IAM ----------------------------------------------------------------------------------

  private void checkIam() {
    for (Resource r : tf.allResources()) {
      walkStrings(
          r.body(),
          s -> {
            if (PRIMITIVE_ROLES.contains(s)) {
              fail(r.address() + " grants primitive role " + s);
            }
            for (String p : PUBLIC_MEMBERS) {
              if (s.contains(p)) {
                fail(r.address() + " names public member " + p);
              }
            }
          });
      if (r.type().equals("google_service_account_key")) {
        fail(r.address() + " creates a service account key");
      }
      if (r.type().endsWith("_iam_binding") || r.type().endsWith("_iam_policy")) {
        fail(r.address() + " is authoritative IAM; use _iam_member grants");
      }
    }
  }

  private static void walkStrings(JsonNode node, Consumer<String> visitor) {
    if (node == null) {
      return;
    }
    if (node.isTextual()) {
      visitor.accept(node.asText());
    }
    node.elements().forEachRemaining(child -> walkStrings(child, visitor));
  }

  // ---- scheduler, monitoring, outputs -------------------------------------------------------

  private void checkScheduler() {
    Optional<Resource> reconcile = topicNamed(Deployment.RECONCILE_TOPIC);
    boolean fires =
        tf.resources("google_cloud_scheduler_job").stream()
            .anyMatch(
                s ->
                    reconcile.isPresent()
                        && (Terraform.references(s.text("http_target.uri"))
                                .contains(reconcile.get().address())
                            || Terraform.references(s.text("pubsub_target.topic_name"))
                                .contains(reconcile.get().address())));
    if (!fires) {
      fail("no Cloud Scheduler job publishes to " + Deployment.RECONCILE_TOPIC);
    }
    for (Resource s : tf.resources("google_cloud_scheduler_job")) {
      if (!s.text("http_target.uri").isEmpty()) {
        if (!tf.account(s.text("http_target.oauth_token.service_account_email"))
            .equals(Optional.of("scheduler"))) {
          fail(s.address() + " does not publish as the account bqx-scheduler");
        }
      }
    }
  }

  private void checkMonitoringAndOutputs() {
    List<Resource> metrics = tf.resources("google_logging_metric");
    if (metrics.isEmpty()) {
      fail("no log-based metric on failed pairs");
    }
    boolean alerted =
        tf.resources("google_monitoring_alert_policy").stream()
            .anyMatch(
                a ->
                    metrics.stream()
                        .anyMatch(
                            m ->
                                Terraform.references(
                                        a.text("conditions.condition_threshold.filter"))
                                    .contains(m.address())));
    if (!alerted) {
      fail("no alert policy on the failed-pairs metric");
    }
    for (String output : List.of("pairs_topic", "events_topic", "job_name", "publish_one_pair")) {
      if (!tf.hasOutput(output)) {
        fail("output " + output + " is missing");
      }
    }
  }
}

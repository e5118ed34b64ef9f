package ml.bqx.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import ml.bqx.core.config.Deployment;
import ml.bqx.core.config.Deployment.Component;
import ml.bqx.core.config.Deployment.Scope;
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
  private static final String TRIGGER_SUFFIX = "_trigger";
  private static final String PUBSUB_AGENT = "pubsub-agent";

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
        }
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
    boolean readable =
        deadLetter.isPresent()
            && tf.resources("google_pubsub_subscription").stream()
                .anyMatch(
                    s ->
                        Terraform.references(s.text("topic")).contains(deadLetter.get().address()));
    if (!readable) {
      fail("dead-letter topic " + Deployment.DEAD_LETTER_TOPIC + " has no subscription to read it");
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
    Optional<Resource> topic = tf.referenced(f.text("event_trigger.pubsub_topic"), TOPIC_TYPE);
    if (topic.isEmpty() || !topic.get().text("name").equals(function.topic())) {
      fail(name + " is not triggered by topic " + function.topic());
    }
    if (!f.text("event_trigger.retry_policy").equals("RETRY_POLICY_RETRY")) {
      fail(name + " trigger does not retry on failure (RETRY_POLICY_RETRY)");
    }
    if (!f.text("service_config.ingress_settings").equals("ALLOW_INTERNAL_ONLY")) {
      fail(name + " ingress is not internal only (ALLOW_INTERNAL_ONLY)");
    }
    Set<String> env =
        new TreeSet<>(tf.mapKeys(f.at("service_config").get("environment_variables")));
    compareEnv(name, env, code.functionEnvToSet(), code.functionEnv(), false);
    expectSa(f, "service_config.service_account_email", function.component());

    // Invokable by its trigger's account and nobody else.
    Optional<Resource> triggerSa =
        tf.referenced(f.text("event_trigger.service_account_email"), SA_TYPE);
    if (triggerSa.isEmpty()) {
      fail(name + " trigger has no service account of its own");
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
          fail(name + " is invokable by " + binding.text("member") + ", not its trigger's account");
        }
      }
    }
    if (invokers.isEmpty()) {
      fail(name + " has no run.invoker binding for its trigger's service account");
    }
  }

  private void expectSa(Resource r, String path, Component component) {
    Optional<Resource> sa = tf.referenced(r.text(path), SA_TYPE);
    String expected = component.name().toLowerCase(Locale.ROOT);
    if (sa.isEmpty() || !sa.get().name().equals(expected)) {
      fail(r.address() + " does not run as google_service_account." + expected);
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

  /** One grant as terraform declares it, in the code's terms. */
  private record Declared(String principal, String role, String scope, String address) {}

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
    List<Declared> declared = new ArrayList<>();
    for (Resource r : tf.allResources()) {
      if (r.type().endsWith("_iam_member")) {
        declared.add(declare(r));
      }
    }
    Set<String> expected = new LinkedHashSet<>();
    for (Deployment.Grant g : code.grants()) {
      expected.add(key(g.component().name(), g.role(), g.scope().name()));
    }
    Set<String> actual = new LinkedHashSet<>();
    for (Declared d : declared) {
      if (isComponent(d.principal())) {
        String k = key(d.principal(), d.role(), d.scope());
        actual.add(k);
        if (!expected.contains(k)) {
          fail(
              d.principal()
                  + " has "
                  + d.role()
                  + " on "
                  + d.scope()
                  + " ("
                  + d.address()
                  + "), which is not in Deployment.GRANTS");
        }
      } else if (!isWiring(d)) {
        fail(d.address() + " grants " + d.role() + " to " + d.principal() + " on " + d.scope());
      }
    }
    for (Deployment.Grant g : code.grants()) {
      if (!actual.contains(key(g.component().name(), g.role(), g.scope().name()))) {
        fail(
            g.component()
                + " lacks "
                + g.role()
                + " on "
                + g.scope()
                + ", needed for: "
                + g.call());
      }
    }
  }

  private static String key(String principal, String role, String scope) {
    return principal + " " + role + " " + scope;
  }

  private static boolean isComponent(String principal) {
    for (Component c : Component.values()) {
      if (c.name().equals(principal)) {
        return true;
      }
    }
    return false;
  }

  /** Grants the platform needs, not the code: Pub/Sub signs pushes and forwards dead letters. */
  private boolean isWiring(Declared d) {
    if (d.principal().endsWith(TRIGGER_SUFFIX.toUpperCase(Locale.ROOT))) {
      return d.role().equals(INVOKER) && d.scope().startsWith("FUNCTION ");
    }
    if (d.principal().equals(PUBSUB_AGENT)) {
      return (d.role().equals("roles/iam.serviceAccountTokenCreator")
              && d.scope().endsWith(TRIGGER_SUFFIX.toUpperCase(Locale.ROOT)))
          || (d.role().equals("roles/pubsub.publisher")
              && d.scope().equals("TOPIC " + Deployment.DEAD_LETTER_TOPIC));
    }
    return false;
  }

  private Declared declare(Resource r) {
    return new Declared(principalOf(r), r.text("role"), scopeOf(r), r.address());
  }

  private String principalOf(Resource r) {
    String member = r.text("member");
    Optional<Resource> sa = tf.referenced(member, SA_TYPE);
    if (sa.isPresent()) {
      return sa.get().name().toUpperCase(Locale.ROOT);
    }
    if (member.contains("each.value")
        && Terraform.references(r.text("for_each")).contains("var.operators")) {
      return Component.CLI.name();
    }
    if (Terraform.references(member).contains("local.pubsub_agent")
        && tf.local("pubsub_agent").asText().contains("@gcp-sa-pubsub.iam.gserviceaccount.com")) {
      return PUBSUB_AGENT;
    }
    return member;
  }

  private String scopeOf(Resource r) {
    switch (r.type()) {
      case "google_project_iam_member":
        return Scope.PROJECT.name();
      case "google_bigquery_dataset_iam_member":
        return datasetScope(r.text("dataset_id"));
      case "google_storage_bucket_iam_member":
        {
          Optional<Resource> bucket = tf.referenced(r.text("bucket"), BUCKET_TYPE);
          if (bucket.equals(bucketOf("BQX_OUTPUT")) && bucket.isPresent()) {
            return Scope.OUTPUT_BUCKET.name();
          }
          if (bucket.equals(bucketOf("BQX_STAGING")) && bucket.isPresent()) {
            return Scope.STAGING_BUCKET.name();
          }
          return "BUCKET " + r.text("bucket");
        }
      case "google_pubsub_topic_iam_member":
        {
          String name =
              tf.referenced(r.text("topic"), TOPIC_TYPE)
                  .map(t -> t.text("name"))
                  .orElse(r.text("topic"));
          Map<String, Scope> topics =
              Map.of(
                  Deployment.PAIRS_TOPIC, Scope.PAIRS_TOPIC,
                  Deployment.EVENTS_TOPIC, Scope.EVENTS_TOPIC,
                  Deployment.RECONCILE_TOPIC, Scope.RECONCILE_TOPIC);
          return topics.containsKey(name) ? topics.get(name).name() : "TOPIC " + name;
        }
      case "google_cloud_run_v2_job_iam_member":
        {
          Optional<Resource> job = tf.referenced(r.text("name"), JOB_TYPE);
          return job.isPresent() && job.get().text("name").equals(code.jobName())
              ? Scope.JOB.name()
              : "RUN JOB " + r.text("name");
        }
      case "google_cloud_run_service_iam_member":
        return "FUNCTION "
            + tf.referenced(r.text("service"), FUNCTION_TYPE)
                .map(f -> f.text("name"))
                .orElse(r.text("service"));
      case "google_service_account_iam_member":
        return tf.referenced(r.text("service_account_id"), SA_TYPE)
            .map(sa -> sa.name().toUpperCase(Locale.ROOT))
            .orElse(r.text("service_account_id"));
      default:
        return r.type();
    }
  }

  private String datasetScope(String expression) {
    for (String ref : Terraform.references(expression)) {
      if (ref.startsWith("var.")) {
        String dataset = tf.variable(ref.substring(4)).path("default").asText();
        if (dataset.equals(code.featuresDataset())) {
          return Scope.FEATURES_DATASET.name();
        }
        if (dataset.equals(code.rawDataset())) {
          return Scope.RAW_DATASET.name();
        }
      }
    }
    return "DATASET " + expression;
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
        Optional<Resource> sa =
            tf.referenced(s.text("http_target.oauth_token.service_account_email"), SA_TYPE);
        if (sa.isEmpty() || !sa.get().name().equals("scheduler")) {
          fail(s.address() + " does not publish as google_service_account.scheduler");
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

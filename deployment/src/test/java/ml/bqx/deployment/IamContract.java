package ml.bqx.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import ml.bqx.deployment.Terraform.Resource;

/**
 * Proves terraform's IAM from the calls the code makes: every permission a component's recorded
 * calls need is granted to that component's principal on the resource it called (or on the
 * project), and every role granted to a component has at least one permission it was recorded using
 * there. Grants the platform needs rather than the code (push identities, service agents, the build
 * account, the runbook's commands) must be listed with a reason in permissions.json.
 */
final class IamContract {
  static final Path IAM = Path.of(System.getProperty("bqx.repo.root", ".."), "deployment", "iam");
  private static final String PROJECT = "project";
  private static final String OPERATOR = "operator";

  /** One recorded call: a method on a resource. */
  record Call(String method, String resource) {}

  /** One grant terraform declares: to whom, which role, on what; its address and its block's. */
  private record Grant(String principal, String role, String scope, String address, String block) {
    /** Whether a platform grant of permissions.json (an address, or a block's) names this one. */
    boolean isNamedBy(String platformGrant) {
      return address.equals(platformGrant) || block.equals(platformGrant);
    }
  }

  private final Terraform tf;
  private final Map<String, List<Call>> recorded;
  private final JsonNode table;
  private final List<String> violations = new ArrayList<>();

  private IamContract(Terraform tf, Map<String, List<Call>> recorded, JsonNode table) {
    this.tf = tf;
    this.recorded = recorded;
    this.table = table;
  }

  static Map<String, List<Call>> readRecording(Path file) throws IOException {
    JsonNode tree = new ObjectMapper().readTree(file.toFile());
    Map<String, List<Call>> out = new LinkedHashMap<>();
    tree.properties()
        .forEach(
            e -> {
              List<Call> calls = new ArrayList<>();
              e.getValue()
                  .forEach(
                      c ->
                          calls.add(
                              new Call(c.path("method").asText(), c.path("resource").asText())));
              out.put(e.getKey(), calls);
            });
    return out;
  }

  static JsonNode readTable(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  /** Every way terraform's grants and the recorded calls disagree; empty when they agree. */
  static List<String> violations(Terraform tf, Map<String, List<Call>> recorded, JsonNode table) {
    IamContract contract = new IamContract(tf, recorded, table);
    contract.check();
    return List.copyOf(contract.violations);
  }

  private void check() {
    List<Grant> grants = new ArrayList<>();
    for (Resource r : tf.allResources()) {
      if (r.type().endsWith("_iam_member")) {
        grants.add(new Grant(principalOf(r), r.text("role"), scopeOf(r), r.address(), r.block()));
      }
    }
    Set<String> platform = new HashSet<>();
    table.path("platform").forEach(p -> platform.add(p.path("grant").asText()));
    for (String address : platform) {
      if (grants.stream().noneMatch(g -> g.isNamedBy(address))) {
        violations.add(
            "permissions.json lists platform grant " + address + ", which terraform lacks");
      }
    }
    // Every recorded permission, granted where it was used.
    Map<String, Set<String>> used = new LinkedHashMap<>();
    for (Map.Entry<String, List<Call>> component : recorded.entrySet()) {
      String who = component.getKey();
      if (grants.stream().noneMatch(g -> g.principal().equals(who))
          && !tf.accounts().contains(who)) {
        violations.add("component " + who + " has no principal in terraform");
      }
      for (Call call : component.getValue()) {
        JsonNode method = table.path("methods").path(call.method());
        if (method.isMissingNode()) {
          violations.add(
              "permissions.json has no entry for " + call.method() + " (called by " + who + ")");
          continue;
        }
        String scope = scopeOfCall(call.resource());
        for (JsonNode p : method.path("permissions")) {
          String permission = p.asText();
          used.computeIfAbsent(who + " " + scope, k -> new TreeSet<>()).add(permission);
          boolean granted =
              grants.stream()
                  .anyMatch(
                      g ->
                          g.principal().equals(who)
                              && (g.scope().equals(scope) || g.scope().equals(PROJECT))
                              && rolePermissions(g.role()).contains(permission));
          if (!granted) {
            violations.add(
                who
                    + " lacks "
                    + permission
                    + " on "
                    + scope
                    + " (its code calls "
                    + call.method()
                    + "): no role terraform grants it there holds it");
          }
        }
      }
    }
    // Every role a component holds, used there; everything else a listed platform grant.
    for (Grant g : grants) {
      if (platform.stream().anyMatch(g::isNamedBy)) {
        continue;
      }
      if (!recorded.containsKey(g.principal())) {
        violations.add(
            g.address()
                + " grants "
                + g.role()
                + " to "
                + g.principal()
                + ", which makes no recorded call: list it in permissions.json's platform grants"
                + " with its reason, or remove it");
        continue;
      }
      Set<String> useful = new TreeSet<>(rolePermissions(g.role()));
      useful.retainAll(used.getOrDefault(g.principal() + " " + g.scope(), Set.of()));
      if (useful.isEmpty() && g.scope().equals(PROJECT)) {
        Set<String> narrower = new TreeSet<>();
        used.forEach(
            (key, permissions) -> {
              Set<String> overlap = new TreeSet<>(permissions);
              overlap.retainAll(rolePermissions(g.role()));
              if (key.startsWith(g.principal() + " ") && !overlap.isEmpty()) {
                narrower.add(key.substring(g.principal().length() + 1));
              }
            });
        if (!narrower.isEmpty()) {
          violations.add(
              g.address()
                  + " grants "
                  + g.role()
                  + " to "
                  + g.principal()
                  + " on the whole project; it is used only on "
                  + String.join(", ", narrower)
                  + ": grant it there");
          continue;
        }
      }
      if (useful.isEmpty()) {
        violations.add(
            g.address()
                + " grants "
                + g.role()
                + " to "
                + g.principal()
                + " on "
                + g.scope()
                + ", but none of its permissions was recorded in use there");
      }
    }
  }

  private Set<String> rolePermissions(String role) {
    JsonNode entry = table.path("roles").path(role);
    if (entry.isMissingNode()) {
      violations.add("permissions.json has no entry for role " + role);
      return Set.of();
    }
    Set<String> out = new TreeSet<>();
    entry.path("permissions").forEach(p -> out.add(p.asText()));
    return out;
  }

  /** The terraform scope of a recorded resource name. */
  private String scopeOfCall(String resource) {
    String[] parts = resource.split("/");
    if (parts.length == 2 && parts[0].equals("projects")) {
      return PROJECT;
    }
    if (parts.length == 2 && parts[0].equals("buckets")) {
      String variable = GoogleWire.BUCKET_VARIABLES.get(parts[1]);
      return "bucket " + (variable == null ? parts[1] : variable);
    }
    if (parts.length == 4 && parts[2].equals("topics")) {
      return "topic " + parts[3];
    }
    if (parts.length == 4 && parts[2].equals("datasets")) {
      return "dataset " + parts[3];
    }
    if (parts.length == 6 && parts[4].equals("jobs")) {
      return "job " + parts[5];
    }
    return "resource " + resource;
  }

  /**
   * A service account's principal (Terraform#account), "operator" for var.operators, else the
   * member.
   */
  private String principalOf(Resource r) {
    String member = r.text("member");
    Optional<String> account = tf.account(member);
    if (account.isPresent()) {
      return account.get();
    }
    if (member.contains("each.value")
        && Terraform.references(r.text("for_each")).contains("var.operators")) {
      return OPERATOR;
    }
    return member;
  }

  private String scopeOf(Resource r) {
    switch (r.type()) {
      case "google_project_iam_member":
        return PROJECT;
      case "google_bigquery_dataset_iam_member":
        return "dataset " + variableDefault(r.text("dataset_id"));
      case "google_storage_bucket_iam_member":
        return "bucket " + bucketVariable(r.text("bucket"));
      case "google_pubsub_topic_iam_member":
        return "topic "
            + tf.referenced(r.text("topic"), "google_pubsub_topic")
                .map(t -> t.text("name"))
                .orElse(r.text("topic"));
      case "google_cloud_run_v2_job_iam_member":
        return "job "
            + tf.referenced(r.text("name"), "google_cloud_run_v2_job")
                .map(j -> j.text("name"))
                .orElse(r.text("name"));
      default:
        return r.address();
    }
  }

  private String variableDefault(String expression) {
    for (String ref : Terraform.references(expression)) {
      if (ref.startsWith("var.")) {
        return tf.variable(ref.substring(4)).path("default").asText(expression);
      }
    }
    return expression;
  }

  /** The variable (BQX_STAGING, BQX_OUTPUT) whose value names the bucket, as the code reads it. */
  private String bucketVariable(String expression) {
    Optional<Resource> bucket = tf.referenced(expression, "google_storage_bucket");
    if (bucket.isEmpty()) {
      return expression;
    }
    for (String local : List.of("job_env", "function_env")) {
      for (String key : tf.mapKeys(tf.local(local))) {
        Optional<Resource> named =
            tf.referenced(tf.local(local).path(key).asText(), "google_storage_bucket");
        if (named.equals(bucket)) {
          return key;
        }
      }
    }
    return bucket.get().address();
  }
}

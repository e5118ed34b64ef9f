package ml.bqx.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ml.bqx.core.config.EnvKey;
import ml.bqx.core.layout.StoreLayout;
import ml.bqx.gcp.storage.GcsCompositeUpload;

/**
 * The staging bucket's lifecycle rules against the code: the checkpoint cache (StoreLayout's
 * prefix) is deleted a day after the job stops reusing a checkpoint (the variable the job's
 * BQX_CHECKPOINT_DAYS is set from, plus one), and no other rule deletes it earlier; the runs'
 * objects still expire by var.staging_retention_days.
 */
final class StagingLifecycle {
  private static final Pattern VARIABLE =
      Pattern.compile("^\\$\\{tostring\\(var\\.([a-z0-9_]+)\\)}$");
  private static final String CACHE = StoreLayout.CHECKPOINT_CACHE;
  private static final String RUNS =
      URI.create("gs://b/").relativize(StoreLayout.runs(URI.create("gs://b/"))).toString();

  private static final String PARTS = GcsCompositeUpload.PARTS_PREFIX;

  private final List<String> violations = new ArrayList<>();

  private StagingLifecycle() {}

  static List<String> violations(Terraform tf) {
    StagingLifecycle check = new StagingLifecycle();
    check.check(tf);
    return check.violations;
  }

  private void check(Terraform tf) {
    JsonNode staging = tf.local("job_env").path(EnvKey.BQX_STAGING.name());
    Optional<Terraform.Resource> bucket = tf.referenced(staging.asText(), "google_storage_bucket");
    if (bucket.isEmpty()) {
      violations.add("BQX_STAGING does not name a declared bucket");
      return;
    }
    String days = tf.local("job_env").path(EnvKey.BQX_CHECKPOINT_DAYS.name()).asText();
    Matcher variable = VARIABLE.matcher(days);
    if (!variable.matches()) {
      violations.add("the job's BQX_CHECKPOINT_DAYS is not set from a variable: '" + days + "'");
      return;
    }
    String cacheAge = "${var." + variable.group(1) + " + 1}";
    boolean cacheRule = false;
    boolean runsRule = false;
    boolean partsRule = false;
    for (JsonNode rule : bucket.get().body().path("lifecycle_rule")) {
      if (!rule.path("action").path(0).path("type").asText().equals("Delete")) {
        continue;
      }
      JsonNode condition = rule.path("condition").path(0);
      String age = condition.path("age").asText();
      List<String> prefixes = new ArrayList<>();
      condition.path("matches_prefix").forEach(p -> prefixes.add(p.asText()));
      if (prefixes.equals(List.of(CACHE))) {
        cacheRule = true;
        if (!age.equals(cacheAge)) {
          violations.add(
              "the checkpoint cache's lifecycle rule has age '"
                  + age
                  + "', expected '"
                  + cacheAge
                  + "' (a day after the job stops reusing a checkpoint)");
        }
        continue;
      }
      if (prefixes.isEmpty() || prefixes.stream().anyMatch(CACHE::startsWith)) {
        violations.add(
            "a staging lifecycle rule aged '"
                + age
                + "' also deletes the checkpoint cache "
                + CACHE);
      }
      if (prefixes.contains(RUNS) && age.equals("${var.staging_retention_days}")) {
        runsRule = true;
        partsRule = prefixes.contains(PARTS);
      }
    }
    if (!cacheRule) {
      violations.add("the staging bucket has no lifecycle rule for the checkpoint cache " + CACHE);
    }
    if (!runsRule) {
      violations.add(
          "the staging bucket has no lifecycle rule deleting "
              + RUNS
              + " by var.staging_retention_days");
    } else if (!partsRule) {
      violations.add(
          "the staging bucket's retention rule does not delete "
              + PARTS
              + " (the parts a killed parallel composite upload leaves behind)");
    }
  }
}

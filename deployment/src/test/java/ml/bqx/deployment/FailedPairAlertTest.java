package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ml.bqx.core.control.PairFailedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * terraform/monitoring.tf against what the code logs (core's PairFailedLog): the failed-pairs
 * metric counts the one line of a pair that ended FAILED, from every function that can end one, and
 * labels it by the field that line carries.
 */
class FailedPairAlertTest {
  private static final String METRIC = "google_logging_metric";
  private static final String ALERT = "google_monitoring_alert_policy";

  @TempDir Path copy;

  /** What is wrong with the failed-pair metric and alert, one line each. */
  static List<String> violations(Terraform terraform) {
    List<String> problems = new ArrayList<>();
    Terraform.Resource metric = terraform.resource(METRIC, "failed_pairs").orElse(null);
    if (metric == null) {
      return List.of("no " + METRIC + ".failed_pairs");
    }
    String filter = metric.text("filter");
    String selects =
        "jsonPayload." + PairFailedLog.EVENT + "=\"" + PairFailedLog.PAIR_FAILED + "\"";
    if (!filter.contains(selects)) {
      problems.add("the metric does not select the pair-failed line (" + selects + "): " + filter);
    }
    if (filter.contains("severity")) {
      problems.add("the metric counts by severity: every ERROR line of a retried attempt counts");
    }
    // A function's lines are counted when the filter names it, or iterates over its whole block
    // ([for f in google_cloudfunctions2_function.function : ...]) with no condition dropping some.
    List<String> sources = Terraform.references(filter);
    if (filter.matches("(?s).*\\$\\{.*\\bif\\b.*")) {
      problems.add("the metric picks functions by a condition (if): it must count every function");
    }
    for (Terraform.Resource function : terraform.resources("google_cloudfunctions2_function")) {
      if (!sources.contains(function.block()) && !sources.contains(function.address())) {
        problems.add("the metric misses the lines of " + function.address());
      }
    }
    JsonNode extractors = metric.body().path("label_extractors");
    String pairLabel = null;
    for (var it = extractors.properties().iterator(); it.hasNext(); ) {
      var extractor = it.next();
      String wanted = "EXTRACT(jsonPayload." + PairFailedLog.PAIR + ")";
      if (extractor.getValue().asText().equals(wanted)) {
        pairLabel = extractor.getKey();
      } else {
        problems.add(
            "label "
                + extractor.getKey()
                + " reads "
                + extractor.getValue().asText()
                + ", a field the pair-failed line does not carry");
      }
    }
    if (pairLabel == null) {
      problems.add("no label reads the pair (EXTRACT(jsonPayload." + PairFailedLog.PAIR + "))");
      return problems;
    }
    List<String> declared = new ArrayList<>();
    metric
        .body()
        .path("metric_descriptor")
        .findValues("key")
        .forEach(k -> declared.add(k.asText()));
    if (!declared.contains(pairLabel)) {
      problems.add("label " + pairLabel + " is extracted but not declared in metric_descriptor");
    }
    Terraform.Resource alert = terraform.resource(ALERT, "failed_pairs").orElse(null);
    if (alert == null) {
      problems.add("no " + ALERT + ".failed_pairs");
      return problems;
    }
    if (!Terraform.references(alert.text("conditions.condition_threshold.filter"))
        .contains(metric.address())) {
      problems.add("the alert does not watch " + metric.address());
    }
    List<String> groups = new ArrayList<>();
    alert
        .body()
        .findValues("group_by_fields")
        .forEach(g -> g.forEach(field -> groups.add(field.asText())));
    if (!groups.contains("metric.label." + pairLabel)) {
      problems.add("the alert does not group by metric.label." + pairLabel + ": not one per pair");
    }
    return problems;
  }

  @Test
  void realFiles_countTheLineThatTheCodeLogsWhenAPairFails() {
    assertThat(violations(Terraform.load(TerraformCopy.TERRAFORM))).isEmpty();
  }

  @Test
  void aMetricOnErrorLinesOfTheJob_isReported() {
    List<String> problems =
        mutated(
            "filter      = \"resource.type=\\\"cloud_run_revision\\\"",
            "filter      = \"severity>=ERROR AND resource.type=\\\"cloud_run_revision\\\"");

    assertThat(problems)
        .contains("the metric counts by severity: every ERROR line of a retried attempt counts");
  }

  @Test
  void aLabelReadingAFieldTheLineDoesNotCarry_isReported() {
    List<String> problems = mutated("EXTRACT(jsonPayload.pair)", "EXTRACT(jsonPayload.pair_name)");

    assertThat(problems)
        .contains(
            "label pair reads EXTRACT(jsonPayload.pair_name), a field the pair-failed line does"
                + " not carry");
  }

  @Test
  void aFunctionLeftOutOfTheFilter_isReported() {
    List<String> problems =
        mutated(
            "${join(\" OR \", [for f in google_cloudfunctions2_function.function : \"\\\"${f.name}\\\"\"])}",
            "\\\"${google_cloudfunctions2_function.function[\"dispatch\"].name}\\\" OR"
                + " \\\"${google_cloudfunctions2_function.function[\"completion\"].name}\\\"");

    assertThat(problems)
        .containsExactly(
            "the metric misses the lines of google_cloudfunctions2_function.function[\"reconcile\"]");
  }

  @Test
  void aConditionDroppingAFunctionFromTheFilter_isReported() {
    List<String> problems =
        mutated("\\\"${f.name}\\\"\"])}", "\\\"${f.name}\\\"\" if f.name != \"bqx-reconcile\"])}");

    assertThat(problems)
        .containsExactly(
            "the metric picks functions by a condition (if): it must count every function");
  }

  private List<String> mutated(String from, String to) {
    return violations(TerraformCopy.replaced(copy, "monitoring.tf", from, to));
  }
}

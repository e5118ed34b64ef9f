package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import ml.bqx.core.control.PairFailedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * terraform/monitoring.tf against what the code logs (core's PairFailedLog): the failed-pairs
 * metric counts the one line of a pair that ended FAILED, from every function that can end one, and
 * labels it by the field that line carries.
 */
class FailedPairAlertTest {
  private static final Path TERRAFORM =
      Path.of(System.getProperty("bqx.repo.root", ".."), "terraform");
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
    List<String> sources = Terraform.references(filter);
    for (Terraform.Resource function : terraform.resources("google_cloudfunctions2_function")) {
      if (!sources.contains(function.address())) {
        problems.add("the metric misses the lines of " + function.address());
      }
    }
    JsonNode extractors = metric.body().path("label_extractors");
    String pairLabel = null;
    for (var it = extractors.fields(); it.hasNext(); ) {
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
    assertThat(violations(Terraform.load(TERRAFORM))).isEmpty();
  }

  @Test
  void aMetricOnErrorLinesOfTheJob_isReported() throws IOException {
    List<String> problems =
        mutated(
            "filter      = \"resource.type=\\\"cloud_run_revision\\\"",
            "filter      = \"severity>=ERROR AND resource.type=\\\"cloud_run_revision\\\"");

    assertThat(problems)
        .contains("the metric counts by severity: every ERROR line of a retried attempt counts");
  }

  @Test
  void aLabelReadingAFieldTheLineDoesNotCarry_isReported() throws IOException {
    List<String> problems = mutated("EXTRACT(jsonPayload.pair)", "EXTRACT(jsonPayload.pair_name)");

    assertThat(problems)
        .contains(
            "label pair reads EXTRACT(jsonPayload.pair_name), a field the pair-failed line does"
                + " not carry");
  }

  @Test
  void aFunctionLeftOutOfTheFilter_isReported() throws IOException {
    List<String> problems =
        mutated(" OR \\\"${google_cloudfunctions2_function.reconcile.name}\\\"", "");

    assertThat(problems)
        .containsExactly(
            "the metric misses the lines of google_cloudfunctions2_function.reconcile");
  }

  private List<String> mutated(String from, String to) throws IOException {
    String text = Files.readString(TERRAFORM.resolve("monitoring.tf"), StandardCharsets.UTF_8);
    assertThat(text).as("mutation target").contains(from);
    Path folder = Files.createTempDirectory(copy, "terraform");
    try (Stream<Path> files = Files.list(TERRAFORM)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p)) {
          Files.copy(p, folder.resolve(p.getFileName()));
        }
      }
    }
    Files.writeString(folder.resolve("monitoring.tf"), text.replace(from, to));
    return violations(Terraform.load(folder));
  }
}

package ml.bqx.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import ml.bqx.core.json.Json;

/**
 * The permissions each component's code needs on each resource, from deployment/iam: the calls
 * recorded end to end over Google's wire fakes (recorded-calls.json) and what each method needs
 * (permissions.json). IamContractTest proves terraform grants exactly these, so the doctor and
 * terraform read one list and cannot drift.
 */
final class RequiredPermissions {
  /** The project and region the recording was made in. */
  private static final String RECORDED_PROJECT = "projects/bqx-test/";

  private static final String RECORDED_REGION = "/locations/us-central1/";

  /** One component's needs on one resource. */
  record Need(String component, String resource, Set<String> permissions) {}

  private RequiredPermissions() {}

  /** The recording's buckets. */
  static final String RECORDED_STAGING = "buckets/bqx-staging";

  static final String RECORDED_OUTPUT = "buckets/bqx-output";

  /**
   * Every need, with the recording's project, region and buckets replaced by these.
   *
   * @param buckets the deployment's bucket of each recorded one ({@link #RECORDED_STAGING}, {@link
   *     #RECORDED_OUTPUT})
   */
  static List<Need> of(String project, String region, Map<String, String> buckets) {
    JsonNode calls = read("iam/recorded-calls.json");
    JsonNode methods = read("iam/permissions.json").path("methods");
    Map<String, Need> needs = new LinkedHashMap<>();
    calls
        .properties()
        .forEach(
            component -> {
              for (JsonNode call : component.getValue()) {
                String recorded = call.path("resource").asText();
                String resource =
                    buckets.containsKey(recorded)
                        ? buckets.get(recorded)
                        : (recorded + "/")
                            .replace(RECORDED_PROJECT, "projects/" + project + "/")
                            .replace(RECORDED_REGION, "/locations/" + region + "/")
                            .replaceAll("/$", "");
                Need need =
                    needs.computeIfAbsent(
                        component.getKey() + " " + resource,
                        k -> new Need(component.getKey(), resource, new TreeSet<>()));
                JsonNode method = methods.path(call.path("method").asText());
                if (method.isMissingNode()) {
                  throw new IllegalStateException(
                      "permissions.json has no entry for " + call.path("method").asText());
                }
                method.path("permissions").forEach(p -> need.permissions().add(p.asText()));
              }
            });
    return new ArrayList<>(needs.values());
  }

  private static JsonNode read(String name) {
    try (InputStream in = RequiredPermissions.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no " + name + " beside " + RequiredPermissions.class);
      }
      return Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package ml.bqx.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every argument and block name in terraform/*.tf against the google provider's real schema (an
 * extract of @cdktf/provider-google 16.12.1, generated from hashicorp/google 6.50.0: see
 * hcl/provider-schema.js to regenerate), with no terraform binary: a misspelt or removed argument
 * fails here instead of at `terraform plan`.
 */
class ProviderSchemaTest {
  private static final Path ROOT = Path.of(System.getProperty("bqx.repo.root", ".."));
  private static final Path TERRAFORM = TerraformCopy.TERRAFORM;
  private static final Set<String> META =
      Set.of("depends_on", "for_each", "count", "provider", "lifecycle", "dynamic");
  private static JsonNode schema;

  @TempDir Path copy;

  @BeforeAll
  static void load() throws IOException {
    schema =
        new ObjectMapper()
            .readTree(ROOT.resolve("deployment/hcl/google-provider-schema.json").toFile());
  }

  @Test
  void everyArgumentAndBlock_isInTheProvidersSchema() {
    assertThat(unknownNames(Hcl.parseFolder(TERRAFORM))).isEmpty();
  }

  @Test
  void misspeltArgument_isReported() {
    assertThat(
            unknownNamesWith(
                "functions.tf",
                "service_account = google_service_account.build.id",
                "service_acount = google_service_account.build.id"))
        .contains(
            "functions.tf: resource google_cloudfunctions2_function.function: build_config has no"
                + " argument or block service_acount");
  }

  @Test
  void eventarcOnlyBlockInASubscription_isReported() {
    assertThat(unknownNamesWith("pubsub.tf", "  retry_policy {", "  retry_policies {"))
        .contains(
            "pubsub.tf: resource google_pubsub_subscription.push: (top) has no argument or block"
                + " retry_policies");
  }

  private List<String> unknownNamesWith(String file, String from, String to) {
    String text = TerraformCopy.read(file);
    assertThat(text).as("mutation target in " + file).contains(from);
    return unknownNames(
        Hcl.parseFolder(TerraformCopy.folderWith(copy, file, text.replace(from, to))));
  }

  /** "file: kind type.name: path has no argument or block key", for each unknown name. */
  static List<String> unknownNames(JsonNode files) {
    List<String> out = new ArrayList<>();
    files
        .properties()
        .forEach(
            file -> {
              for (String kind : List.of("resource", "data")) {
                file.getValue()
                    .path(kind)
                    .properties()
                    .forEach(
                        type -> {
                          JsonNode blocks = schema.path(kind + "." + type.getKey());
                          type.getValue()
                              .properties()
                              .forEach(
                                  named -> {
                                    String where =
                                        file.getKey()
                                            + ": "
                                            + kind
                                            + " "
                                            + type.getKey()
                                            + "."
                                            + named.getKey();
                                    if (blocks.isMissingNode()) {
                                      out.add(
                                          where
                                              + ": type not in the schema extract (regenerate it:"
                                              + " hcl/provider-schema.js)");
                                      return;
                                    }
                                    for (JsonNode body : named.getValue()) {
                                      check(blocks, "", body, where, out);
                                    }
                                  });
                        });
              }
            });
    return out;
  }

  private static void check(
      JsonNode blocks, String path, JsonNode body, String where, List<String> out) {
    Set<String> allowed = new HashSet<>();
    blocks.path(path).forEach(n -> allowed.add(n.asText()));
    for (Map.Entry<String, JsonNode> e : body.properties()) {
      String key = e.getKey();
      if (key.equals("dynamic")) {
        e.getValue()
            .properties()
            .forEach(
                d -> {
                  for (JsonNode each : d.getValue()) {
                    for (JsonNode content : each.path("content")) {
                      checkBlock(blocks, path, d.getKey(), content, where, allowed, out);
                    }
                  }
                });
        continue;
      }
      if (path.isEmpty() && META.contains(key)) {
        continue;
      }
      if (!allowed.contains(key)) {
        out.add(
            where + ": " + (path.isEmpty() ? "(top)" : path) + " has no argument or block " + key);
        continue;
      }
      JsonNode value = e.getValue();
      if (value.isArray() && value.size() > 0 && value.get(0).isObject()) {
        for (JsonNode inner : value) {
          checkBlock(blocks, path, key, inner, where, allowed, out);
        }
      }
    }
  }

  private static void checkBlock(
      JsonNode blocks,
      String path,
      String key,
      JsonNode body,
      String where,
      Set<String> allowed,
      List<String> out) {
    String inner = path.isEmpty() ? key : path + "." + key;
    if (!allowed.contains(key)) {
      out.add(
          where + ": " + (path.isEmpty() ? "(top)" : path) + " has no argument or block " + key);
    } else if (blocks.has(inner)) {
      check(blocks, inner, body, where, out);
    }
  }
}

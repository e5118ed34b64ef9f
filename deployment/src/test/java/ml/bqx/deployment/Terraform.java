package ml.bqx.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A terraform/ folder as parsed JSON: resources by type and name, locals, variables, outputs. */
final class Terraform {
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(google_[a-z0-9_]+|var|local)\\.([a-z0-9_]+)");

  /** One resource block: its type, its name, its body (first block of that name). */
  record Resource(String type, String name, JsonNode body) {
    String address() {
      return type + "." + name;
    }

    /** The text of an attribute path ("service_config.ingress_settings"), "" when absent. */
    String text(String path) {
      JsonNode node = at(path);
      return node == null || node.isMissingNode() || node.isNull() ? "" : node.asText();
    }

    JsonNode at(String path) {
      JsonNode node = body;
      for (String part : path.split("\\.")) {
        if (node == null) {
          return null;
        }
        node = node.isArray() && node.size() > 0 ? node.get(0) : node;
        node = node.get(part);
      }
      return node != null && node.isArray() && node.size() > 0 ? node.get(0) : node;
    }
  }

  private final Map<String, Resource> resources = new LinkedHashMap<>();
  private final ObjectNode locals;
  private final ObjectNode variables;
  private final ObjectNode outputs;

  private Terraform(JsonNode files) {
    locals = JsonNodeFactory.instance.objectNode();
    variables = JsonNodeFactory.instance.objectNode();
    outputs = JsonNodeFactory.instance.objectNode();
    for (JsonNode file : files) {
      for (JsonNode block : iterable(file.path("locals"))) {
        locals.setAll((ObjectNode) block);
      }
      file.path("variable").fields().forEachRemaining(e -> variables.set(e.getKey(), first(e)));
      file.path("output").fields().forEachRemaining(e -> outputs.set(e.getKey(), first(e)));
      file.path("resource")
          .fields()
          .forEachRemaining(
              type ->
                  type.getValue()
                      .fields()
                      .forEachRemaining(
                          named ->
                              resources.put(
                                  type.getKey() + "." + named.getKey(),
                                  new Resource(type.getKey(), named.getKey(), first(named)))));
    }
  }

  static Terraform load(Path folder) {
    return new Terraform(Hcl.parseFolder(folder));
  }

  List<Resource> resources(String type) {
    List<Resource> out = new ArrayList<>();
    resources.values().stream().filter(r -> r.type().equals(type)).forEach(out::add);
    return out;
  }

  List<Resource> allResources() {
    return List.copyOf(resources.values());
  }

  Optional<Resource> resource(String type, String name) {
    return Optional.ofNullable(resources.get(type + "." + name));
  }

  JsonNode local(String name) {
    return locals.path(name);
  }

  JsonNode variable(String name) {
    return variables.path(name);
  }

  /** Every expression string of resources, locals and outputs (not variables' own validations). */
  List<String> expressions() {
    List<String> out = new ArrayList<>();
    resources.values().forEach(r -> collect(r.body(), out));
    collect(locals, out);
    collect(outputs, out);
    return out;
  }

  boolean hasVariable(String name) {
    return variables.has(name);
  }

  boolean hasLocal(String name) {
    return locals.has(name);
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isTextual()) {
      out.add(node.asText());
    }
    node.elements().forEachRemaining(child -> collect(child, out));
  }

  boolean hasOutput(String name) {
    return outputs.has(name);
  }

  /**
   * The keys of a map-valued attribute: a literal object, or "${local.x}" resolved to that local.
   */
  List<String> mapKeys(JsonNode value) {
    List<String> keys = new ArrayList<>();
    if (value == null) {
      return keys;
    }
    JsonNode map = value;
    if (value.isTextual()) {
      Matcher m = Pattern.compile("^\\$\\{local\\.([a-z0-9_]+)}$").matcher(value.asText());
      map = m.matches() ? local(m.group(1)) : null;
    }
    if (map != null && map.isObject()) {
      map.fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  /** The references an expression makes, e.g. "google_pubsub_topic.pairs", "var.region". */
  static List<String> references(String expression) {
    List<String> out = new ArrayList<>();
    Matcher m = REFERENCE.matcher(expression);
    while (m.find()) {
      out.add(m.group(1) + "." + m.group(2));
    }
    return out;
  }

  /** The one resource of a type an expression refers to, if any. */
  Optional<Resource> referenced(String expression, String type) {
    return references(expression).stream()
        .filter(r -> r.startsWith(type + "."))
        .map(r -> resources.get(r))
        .filter(r -> r != null)
        .findFirst();
  }

  private static JsonNode first(Map.Entry<String, JsonNode> entry) {
    JsonNode v = entry.getValue();
    return v.isArray() && v.size() > 0 ? v.get(0) : v;
  }

  private static Iterable<JsonNode> iterable(JsonNode node) {
    return () -> {
      Iterator<JsonNode> it = node.elements();
      return it;
    };
  }
}

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

/**
 * A terraform/ folder as parsed JSON: resources by type and name, locals, variables, outputs, moved
 * blocks. A resource whose {@code for_each} is a map in locals is expanded, as terraform plans it,
 * into one instance per key ({@code type.name["key"]}) with {@code each.key} and {@code each.value}
 * substituted ({@link ForEach}); any other {@code for_each} (a variable's set) stays one block.
 */
final class Terraform {
  private static final Pattern REFERENCE =
      Pattern.compile(
          "(?<!data\\.)\\b(google_[a-z0-9_]+|var|local)\\.([a-z0-9_]+)(\\[\"[^\"]+\"])?");
  private static final Pattern LOCAL_MAP = Pattern.compile("^\\$\\{local\\.([a-z0-9_]+)}$");

  /** The accounts bqx creates are named bqx-<principal>: bqx-job, bqx-dispatch-trigger. */
  private static final String ACCOUNT_PREFIX = "bqx-";

  /**
   * One resource block, or one instance of a for_each block (key non-null): its type, its name, its
   * body (first block of that name; for an instance, with each.key and each.value substituted).
   */
  record Resource(String type, String name, String key, JsonNode body) {
    String address() {
      return key == null ? block() : block() + "[\"" + key + "\"]";
    }

    /** The block's address: the instance's address without its key. */
    String block() {
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

  /** One moved block: the address a resource had and the one it has now. */
  record Moved(String from, String to) {}

  private final Map<String, Resource> resources = new LinkedHashMap<>();
  private final List<Moved> moved = new ArrayList<>();
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
      file.path("variable").properties().forEach(e -> variables.set(e.getKey(), first(e)));
      file.path("output").properties().forEach(e -> outputs.set(e.getKey(), first(e)));
      for (JsonNode block : iterable(file.path("moved"))) {
        moved.add(new Moved(unwrap(block.path("from")), unwrap(block.path("to"))));
      }
    }
    for (JsonNode file : files) {
      file.path("resource")
          .properties()
          .forEach(
              type ->
                  type.getValue()
                      .properties()
                      .forEach(named -> add(type.getKey(), named.getKey(), first(named))));
    }
  }

  private void add(String type, String name, JsonNode body) {
    Matcher map = LOCAL_MAP.matcher(body.path("for_each").asText());
    JsonNode instances = map.matches() ? locals.path(map.group(1)) : null;
    if (instances == null || !instances.isObject()) {
      Resource block = new Resource(type, name, null, body);
      resources.put(block.address(), block);
      return;
    }
    instances
        .properties()
        .forEach(
            each -> {
              String where = type + "." + name + "[\"" + each.getKey() + "\"]";
              JsonNode expanded = new ForEach(where, each.getKey(), each.getValue()).instance(body);
              Resource instance = new Resource(type, name, each.getKey(), expanded);
              resources.put(instance.address(), instance);
            });
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

  /** A resource block without for_each, or not expanded, by its type and name. */
  Optional<Resource> resource(String type, String name) {
    return Optional.ofNullable(resources.get(type + "." + name));
  }

  /** Whether an address names a declared resource block or an instance of one. */
  boolean declares(String address) {
    return resources.containsKey(address)
        || resources.values().stream().anyMatch(r -> r.block().equals(address));
  }

  List<Moved> moved() {
    return List.copyOf(moved);
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
      Matcher m = LOCAL_MAP.matcher(value.asText());
      map = m.matches() ? local(m.group(1)) : null;
    }
    if (map != null && map.isObject()) {
      map.fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  /**
   * The references an expression makes, e.g. "google_pubsub_topic.pairs", "var.region",
   * "google_service_account.function[\"dispatch\"]" (an instance), or a whole for_each block.
   */
  static List<String> references(String expression) {
    List<String> out = new ArrayList<>();
    Matcher m = REFERENCE.matcher(expression);
    while (m.find()) {
      out.add(m.group(1) + "." + m.group(2) + (m.group(3) == null ? "" : m.group(3)));
    }
    return out;
  }

  /** The one resource (or instance) of a type an expression refers to, if any. */
  Optional<Resource> referenced(String expression, String type) {
    return references(expression).stream()
        .filter(r -> r.startsWith(type + "."))
        .map(r -> resources.get(r))
        .filter(r -> r != null)
        .findFirst();
  }

  /**
   * The principal of the service account an expression refers to, as the recorded calls name it:
   * its account id without "bqx-" ("job", "dispatch", "dispatch-trigger").
   */
  Optional<String> account(String expression) {
    return referenced(expression, "google_service_account").map(Terraform::principal);
  }

  /** The principals of every service account terraform creates. */
  List<String> accounts() {
    return resources("google_service_account").stream().map(Terraform::principal).toList();
  }

  private static String principal(Resource account) {
    String id = account.text("account_id");
    return id.startsWith(ACCOUNT_PREFIX) ? id.substring(ACCOUNT_PREFIX.length()) : id;
  }

  /** "${google_x.y}" (a moved block's address as the parser keeps it) to "google_x.y". */
  private static String unwrap(JsonNode address) {
    String text = address.asText();
    return text.startsWith("${") && text.endsWith("}")
        ? text.substring(2, text.length() - 1)
        : text;
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

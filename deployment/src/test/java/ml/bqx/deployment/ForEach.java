package ml.bqx.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One instance of a for_each block over a map: its body with {@code each.key} and {@code
 * each.value.<attribute>} replaced by the instance's key and its entry's values, as terraform
 * evaluates them (https://developer.hashicorp.com/terraform/language/meta-arguments/for_each, "The
 * each object"). An attribute that is wholly {@code each.value.x} takes x's value as it is (a
 * string, a number, another expression); inside a larger expression a value is spliced in as an HCL
 * literal or, when it is itself an expression, as that expression. A use of {@code each} it cannot
 * resolve fails, naming the instance: the contracts never read a half-expanded body.
 */
final class ForEach {
  private static final Pattern EACH = Pattern.compile("\\beach\\.(key\\b|value\\.([a-z0-9_]+)\\b)");
  private static final Pattern WHOLE_VALUE =
      Pattern.compile("^\\$\\{each\\.value\\.([a-z0-9_]+)}$");
  private static final Pattern STRING_LITERAL = Pattern.compile("^\"((?:[^\"\\\\$]|\\\\.)*)\"$");
  private static final Pattern NUMBER = Pattern.compile("^-?[0-9]+(\\.[0-9]+)?$");

  private final String where;
  private final String key;
  private final JsonNode value;

  ForEach(String where, String key, JsonNode value) {
    this.where = where;
    this.key = key;
    this.value = value;
  }

  /** A copy of the block's body, without its for_each, with every use of each resolved. */
  JsonNode instance(JsonNode body) {
    ObjectNode out = (ObjectNode) resolve(body);
    out.remove("for_each");
    return out;
  }

  private JsonNode resolve(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      node.properties().forEach(e -> out.set(e.getKey(), resolve(e.getValue())));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(child -> out.add(resolve(child)));
      return out;
    }
    return node.isTextual() ? text(node.asText()) : node;
  }

  private JsonNode text(String text) {
    if (!text.contains("each.")) {
      return TextNode.valueOf(text);
    }
    Matcher whole = WHOLE_VALUE.matcher(text);
    if (whole.matches()) {
      return attribute(whole.group(1)).deepCopy();
    }
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (int start = text.indexOf("${"); start >= 0; start = text.indexOf("${", at)) {
      int end = closingBrace(text, start + 2);
      out.append(text, at, start);
      String expression = substitute(text.substring(start + 2, end));
      Matcher literal = STRING_LITERAL.matcher(expression);
      if (literal.matches()) {
        out.append(literal.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
      } else if (NUMBER.matcher(expression).matches()) {
        out.append(expression);
      } else {
        out.append("${").append(expression).append('}');
      }
      at = end + 1;
    }
    out.append(text.substring(at));
    if (EACH.matcher(out).find()) {
      throw new IllegalStateException(where + ": cannot resolve each in " + text);
    }
    return TextNode.valueOf(out.toString());
  }

  /** The expression with each.key and each.value.x replaced by what they are for this instance. */
  private String substitute(String expression) {
    Matcher m = EACH.matcher(expression);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = m.group(2) == null ? quoted(key) : spliced(attribute(m.group(2)));
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private JsonNode attribute(String name) {
    JsonNode attribute = value.get(name);
    if (attribute == null) {
      throw new IllegalStateException(where + ": each.value has no " + name);
    }
    return attribute;
  }

  /** A value as it reads inside an expression: an expression as itself, a string quoted. */
  private static String spliced(JsonNode value) {
    if (!value.isTextual()) {
      return value.toString();
    }
    String text = value.asText();
    if (text.startsWith("${") && closingBrace(text, 2) == text.length() - 1) {
      return "(" + text.substring(2, text.length() - 1) + ")";
    }
    return quoted(text);
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The index of the brace that closes an interpolation whose body starts at from. */
  private static int closingBrace(String text, int from) {
    int depth = 1;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalStateException("unclosed ${ in " + text);
  }
}

package ml.bqx.core.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import ml.bqx.core.json.Json;
import ml.bqx.core.text.OneLine;

/** Reads message bodies field by field, so that each refusal names the field and the reason. */
final class JsonFields {
  private JsonFields() {}

  static ObjectNode object(byte[] data, String what) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(data);
    } catch (IOException e) {
      throw new MessageRejectedException(
          what + " is not valid JSON: " + OneLine.of(e.getMessage()), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new MessageRejectedException(what + " is empty");
    }
    if (!node.isObject()) {
      throw new MessageRejectedException(
          what + " must be a JSON object, not " + node.getNodeType().name().toLowerCase());
    }
    return (ObjectNode) node;
  }

  static String text(ObjectNode node, String field, String what) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new MessageRejectedException(what + " field '" + field + "' must be a string");
    }
    return value.asText();
  }

  static String requiredText(ObjectNode node, String field, String what) {
    String value = text(node, field, what);
    if (value == null || value.isBlank()) {
      throw new MessageRejectedException(what + " has no '" + field + "'");
    }
    return value;
  }

  static Integer integer(ObjectNode node, String field, String what) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isTextual() && value.asText().matches("\\d{1,9}")) {
      return Integer.parseInt(value.asText());
    }
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw new MessageRejectedException(what + " field '" + field + "' must be an integer");
    }
    return value.asInt();
  }
}

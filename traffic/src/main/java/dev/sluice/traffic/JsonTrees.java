package dev.sluice.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;

/**
 * Route objects of CRD kinds are rewritten as Jackson trees: every field the user wrote, known to
 * Sluice or not, is carried over untouched.
 */
final class JsonTrees {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonTrees() {}

  /** A deep copy of the resource as a tree. */
  static ObjectNode toTree(Object resource) {
    return MAPPER.valueToTree(resource);
  }

  static GenericKubernetesResource toResource(ObjectNode tree) {
    return MAPPER.convertValue(tree, GenericKubernetesResource.class);
  }

  /** A deep copy of {@code value} as {@code type} (never the same instance, unlike convertValue). */
  static <T> T copy(Object value, Class<T> type) {
    try {
      return MAPPER.treeToValue(MAPPER.valueToTree(value), type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot copy " + type.getSimpleName(), e);
    }
  }

  /** The object elements of an array field; missing or not an array gives an empty list. */
  static List<ObjectNode> objects(JsonNode parent, String field) {
    List<ObjectNode> out = new ArrayList<>();
    JsonNode array = parent == null ? null : parent.get(field);
    if (array != null && array.isArray()) {
      for (JsonNode element : array) {
        if (element.isObject()) {
          out.add((ObjectNode) element);
        }
      }
    }
    return out;
  }

  static ArrayNode arrayOf(List<? extends JsonNode> elements) {
    ArrayNode array = NODES.arrayNode();
    elements.forEach(array::add);
    return array;
  }

  /** A text field, or null when missing or not text. */
  static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** An integer field, or {@code fallback} when missing or not a number. */
  static long number(JsonNode node, String field, long fallback) {
    JsonNode value = node == null ? null : node.get(field);
    return value != null && value.isNumber() ? value.asLong() : fallback;
  }

  static String name(ObjectNode resource) {
    return text(resource.path("metadata"), "name");
  }
}

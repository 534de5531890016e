package dev.sluice.analysis.args;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.sluice.analysis.AnalysisSpecException;
import dev.sluice.api.v1alpha1.Metric;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Puts argument values into every string of a metric (query, address, URL, headers, body, job
 * spec, conditions, counts written as "{{args.count}}"), like Argo Rollouts does. Working on the
 * JSON tree rather than the JSON text means a value with quotes or newlines cannot break the spec.
 */
public final class MetricTemplating {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private MetricTemplating() {}

  /**
   * @throws AnalysisSpecException when the metric uses an argument the run does not have, or a value
   *     does not fit its field (e.g. a word where the Job spec wants a number)
   */
  public static Metric substitute(Metric metric, ResolvedArguments args) {
    JsonNode tree = JSON.valueToTree(metric);
    String where = "metric \"" + metric.name() + "\"";
    JsonNode substituted = walk(tree, args, where);
    try {
      return JSON.treeToValue(substituted, Metric.class);
    } catch (JsonMappingException e) {
      // Jackson's own message quotes the value, which may be a secret: name the field only
      throw new AnalysisSpecException(where + ": after substituting arguments, " + fieldOf(e) + " does not have a value of the right type");
    } catch (JsonProcessingException e) {
      throw new AnalysisSpecException(where + ": cannot be read after substituting arguments");
    }
  }

  private static String fieldOf(JsonMappingException e) {
    String path = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
    return path.isEmpty() ? "a field" : path;
  }

  private static JsonNode walk(JsonNode node, ResolvedArguments args, String where) {
    if (node.isTextual()) {
      return TextNode.valueOf(args.substitute(node.asText(), where));
    }
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        field.setValue(walk(field.getValue(), args, where));
      }
      return object;
    }
    if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        array.set(i, walk(array.get(i), args, where));
      }
      return array;
    }
    return node;
  }
}

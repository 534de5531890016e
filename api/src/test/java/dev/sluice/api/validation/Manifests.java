package dev.sluice.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.RolloutSpec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Specs as users write them: a valid YAML spec with one edit merged in, the way {@code kubectl patch
 * --type merge} applies it (maps merge, lists are replaced, null removes a field).
 */
final class Manifests {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A valid canary Rollout spec with no steps. */
  static final String ROLLOUT = """
      replicas: 10
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: web, image: "web:1"}]}
      strategy: {canary: {}}
      """;

  /** A valid AnalysisTemplate spec with one metric. */
  static final String TEMPLATE = """
      metrics:
      - name: ok
        provider: {web: {url: "http://web/health"}}
      """;

  private Manifests() {}

  /** The valid Rollout spec with {@code edit} merged into spec. */
  static RolloutSpec rollout(String edit) {
    return read(merge(tree(ROLLOUT), tree(edit)), RolloutSpec.class);
  }

  /** The valid Rollout spec with {@code edit} merged into spec.strategy.canary. */
  static RolloutSpec canary(String edit) {
    ObjectNode spec = (ObjectNode) tree(ROLLOUT);
    merge(spec.get("strategy").get("canary"), tree(edit));
    return read(spec, RolloutSpec.class);
  }

  /** The valid AnalysisTemplate spec with {@code edit} merged into spec. */
  static AnalysisTemplateSpec template(String edit) {
    return read(merge(tree(TEMPLATE), tree(edit)), AnalysisTemplateSpec.class);
  }

  private static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!(target instanceof ObjectNode object) || !patch.isObject()) {
      return patch;
    }
    patch.fields().forEachRemaining(field -> {
      if (field.getValue().isNull()) {
        object.remove(field.getKey());
      } else {
        object.set(field.getKey(), object.has(field.getKey()) ? merge(object.get(field.getKey()), field.getValue()) : field.getValue());
      }
    });
    return object;
  }

  private static JsonNode tree(String yaml) {
    try {
      JsonNode node = YAML.readTree(yaml);
      return node == null || node.isMissingNode() ? YAML.createObjectNode() : node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T read(JsonNode tree, Class<T> type) {
    try {
      return YAML.treeToValue(tree, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

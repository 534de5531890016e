package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every number a user can store in a Sluice object fits what the controller reads, so the API
 * server refuses the rest: an int gets format int32 and bounds, a long format int64 (beyond it the
 * API server refuses on its own), and an int-or-string bounds beside its anyOf (which apply to its
 * integer only). Quantities are int-or-string too and take any size: the only ones left unbounded.
 */
class CrdIntegerBoundsTest {
  /** The pod template's Quantity fields, by property name (limits, requests, overhead: maps of them). */
  private static final Set<String> QUANTITIES = Set.of("divisor", "sizeLimit", "limits{}", "requests{}", "overhead{}");

  static Stream<Path> generatedCrds() throws IOException {
    return Files.list(Path.of(System.getProperty("sluice.generatedCrds"))).filter(p -> p.toString().endsWith(".yml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("generatedCrds")
  void everyIntegerAndIntOrStringIsBounded(Path crdFile) throws IOException {
    Map<String, JSONSchemaProps> nodes = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(crdFile)) {
      Serialization.unmarshal(in, CustomResourceDefinition.class).getSpec().getVersions()
          .forEach(v -> collect(v.getSchema().getOpenAPIV3Schema(), v.getName(), nodes));
    }

    List<String> unbounded = new ArrayList<>();
    List<String> intOrStrings = new ArrayList<>();
    nodes.forEach((path, node) -> {
      if (Boolean.TRUE.equals(node.getXKubernetesIntOrString())) {
        intOrStrings.add(path);
        boolean quantity = QUANTITIES.contains(path.substring(path.lastIndexOf('.') + 1));
        if (!quantity && !int32Range(node)) unbounded.add(path + " (int-or-string)");
      } else if ("integer".equals(node.getType()) && !("int64".equals(node.getFormat())
          || "int32".equals(node.getFormat()) && node.getMinimum() != null && node.getMaximum() != null
              && node.getMinimum() >= Integer.MIN_VALUE && node.getMaximum() <= Integer.MAX_VALUE)) {
        unbounded.add(path + " (integer, format " + node.getFormat() + ")");
      }
    });

    assertThat(unbounded).as("numbers the API server would store beyond what the model reads").isEmpty();
    // what the check covered, so that it cannot pass on a schema it did not walk
    assertThat(intOrStrings).anyMatch(p -> p.endsWith(".port")).anyMatch(p -> p.endsWith(".limits{}"));
    if (crdFile.getFileName().toString().startsWith("rollouts.")) {
      assertThat(intOrStrings).contains("v1alpha1.spec.strategy.canary.maxSurge", "v1alpha1.spec.strategy.canary.maxUnavailable",
          "v1alpha1.spec.strategy.canary.steps[].pause.duration");
    } else {
      assertThat(intOrStrings).anyMatch(p -> p.endsWith(".metrics[].count")).anyMatch(p -> p.endsWith(".metrics[].failureLimit"));
    }
  }

  private static boolean int32Range(JSONSchemaProps node) {
    return node.getMinimum() != null && node.getMinimum() >= Integer.MIN_VALUE
        && node.getMaximum() != null && node.getMaximum() <= Integer.MAX_VALUE;
  }

  private static void collect(JSONSchemaProps node, String path, Map<String, JSONSchemaProps> nodes) {
    if (node == null) return;
    nodes.put(path, node);
    if (node.getProperties() != null) node.getProperties().forEach((name, child) -> collect(child, path + "." + name, nodes));
    if (node.getItems() != null) collect(node.getItems().getSchema(), path + "[]", nodes);
    if (node.getAdditionalProperties() != null) collect(node.getAdditionalProperties().getSchema(), path + "{}", nodes);
  }
}

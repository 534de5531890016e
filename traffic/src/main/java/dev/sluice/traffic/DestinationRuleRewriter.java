package dev.sluice.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.SluiceLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * Rewrites an Istio DestinationRule for a subset-level split: the canary and stable subsets select
 * pods by {@code sluice.dev/pod-template-hash}. Sluice owns only that label of those two subsets.
 */
final class DestinationRuleRewriter {
  static final String KIND = "DestinationRule";

  private final String canarySubset;
  private final String stableSubset;

  DestinationRuleRewriter(String canarySubset, String stableSubset) {
    this.canarySubset = canarySubset;
    this.stableSubset = stableSubset;
  }

  GenericKubernetesResource withHashes(GenericKubernetesResource destinationRule, String canaryHash, String stableHash) {
    ObjectNode tree = JsonTrees.toTree(destinationRule);
    subset(tree, canarySubset).withObjectProperty("labels").put(SluiceLabels.POD_TEMPLATE_HASH, canaryHash);
    subset(tree, stableSubset).withObjectProperty("labels").put(SluiceLabels.POD_TEMPLATE_HASH, stableHash);
    return JsonTrees.toResource(tree);
  }

  private static ObjectNode subset(ObjectNode tree, String name) {
    return JsonTrees.objects(tree.path("spec"), "subsets").stream()
        .filter(s -> name.equals(JsonTrees.text(s, "name"))).findFirst()
        .orElseThrow(() -> TrafficRoutingException.notFound(
            KIND + " " + JsonTrees.name(tree) + ": no subset named \"" + name + "\" in spec.subsets"));
  }
}

package dev.sluice.traffic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Optional;

/**
 * Builds the SMI TrafficSplit ({@code split.smi-spec.io/v1alpha2}) Sluice owns: the root Service
 * and two backends, canary and stable, with their weights. Labels and annotations others put on
 * it, and spec fields Sluice does not set, are kept.
 */
final class TrafficSplitRewriter {
  static final String API_VERSION = "split.smi-spec.io/v1alpha2";
  static final String KIND = "TrafficSplit";

  private final String canaryService;
  private final String stableService;

  TrafficSplitRewriter(String canaryService, String stableService) {
    this.canaryService = canaryService;
    this.stableService = stableService;
  }

  /** The TrafficSplit to store: a new one when {@code existing} is null. */
  GenericKubernetesResource withWeight(GenericKubernetesResource existing, String name, String namespace,
      String rootService, OwnerReference owner, WeightSplit split) {
    ObjectNode tree;
    if (existing == null) {
      tree = JsonTrees.NODES.objectNode();
      tree.put("apiVersion", API_VERSION);
      tree.put("kind", KIND);
      ObjectNode metadata = tree.putObject("metadata");
      metadata.put("name", name);
      metadata.put("namespace", namespace);
      if (owner != null) {
        metadata.set("ownerReferences", JsonTrees.arrayOf(List.of(JsonTrees.toTree(owner))));
      }
    } else {
      tree = JsonTrees.toTree(existing);
    }
    ObjectNode spec = tree.withObjectProperty("spec");
    spec.put("service", rootService);
    ArrayNode backends = spec.putArray("backends");
    backends.addObject().put("service", canaryService).put("weight", split.canary());
    backends.addObject().put("service", stableService).put("weight", split.stable());
    return JsonTrees.toResource(tree);
  }

  /** The canary weight in place, out of {@code total}. */
  Optional<Integer> canaryWeight(GenericKubernetesResource trafficSplit, int total) {
    ObjectNode tree = JsonTrees.toTree(trafficSplit);
    long canary = 0;
    long stable = 0;
    for (ObjectNode backend : JsonTrees.objects(tree.path("spec"), "backends")) {
      String service = JsonTrees.text(backend, "service");
      if (canaryService.equals(service)) {
        canary += JsonTrees.number(backend, "weight", 0);
      } else if (stableService.equals(service)) {
        stable += JsonTrees.number(backend, "weight", 0);
      }
    }
    return WeightSplit.share(canary, stable, total);
  }
}

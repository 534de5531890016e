package dev.sluice.traffic;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads and writes route objects of CRD kinds. A write carries the resourceVersion that was read,
 * so a concurrent change by someone else fails with a {@code CONFLICT} instead of being lost.
 */
final class GenericRoutes {

  /** A CRD kind, named fully so no discovery call is needed. */
  record Kind(String group, String version, String kind, String plural) {
    String apiVersion() {
      return group + "/" + version;
    }

    ResourceDefinitionContext context() {
      return new ResourceDefinitionContext.Builder()
          .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
    }
  }

  static final Kind HTTP_ROUTE = new Kind("gateway.networking.k8s.io", "v1", HttpRouteRewriter.KIND, "httproutes");
  static final Kind VIRTUAL_SERVICE = new Kind("networking.istio.io", "v1beta1", VirtualServiceRewriter.KIND, "virtualservices");
  static final Kind DESTINATION_RULE = new Kind("networking.istio.io", "v1beta1", DestinationRuleRewriter.KIND, "destinationrules");
  static final Kind TRAFFIC_SPLIT = new Kind("split.smi-spec.io", "v1alpha2", TrafficSplitRewriter.KIND, "trafficsplits");

  private final KubernetesClient client;

  GenericRoutes(KubernetesClient client) {
    this.client = client;
  }

  Optional<GenericKubernetesResource> get(Kind kind, String namespace, String name) {
    return Optional.ofNullable(ApiErrors.call("read", kind.kind() + " " + name, namespace,
        () -> client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name).get()));
  }

  /**
   * Reads the object, rewrites it and writes it back if anything changed.
   *
   * @param specField where the spec names the object, for the not-found message
   */
  void rewrite(Kind kind, String namespace, String name, String specField, UnaryOperator<GenericKubernetesResource> rewrite) {
    GenericKubernetesResource current = require(kind, namespace, name, specField);
    replaceIfChanged(kind, current, rewrite.apply(current));
  }

  GenericKubernetesResource require(Kind kind, String namespace, String name, String specField) {
    return get(kind, namespace, name).orElseThrow(() -> TrafficRoutingException.notFound(
        kind.kind() + " " + name + " (" + specField + ") not found in namespace " + namespace));
  }

  void replaceIfChanged(Kind kind, GenericKubernetesResource current, GenericKubernetesResource desired) {
    if (JsonTrees.toTree(current).equals(JsonTrees.toTree(desired))) {
      return;
    }
    String namespace = current.getMetadata().getNamespace();
    ApiErrors.call("update", kind.kind() + " " + current.getMetadata().getName(), namespace,
        () -> client.genericKubernetesResources(kind.context()).inNamespace(namespace).resource(desired).update());
  }

  void create(Kind kind, GenericKubernetesResource desired) {
    String namespace = desired.getMetadata().getNamespace();
    ApiErrors.call("create", kind.kind() + " " + desired.getMetadata().getName(), namespace,
        () -> client.genericKubernetesResources(kind.context()).inNamespace(namespace).resource(desired).create());
  }
}

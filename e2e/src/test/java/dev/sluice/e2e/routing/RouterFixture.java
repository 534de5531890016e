package dev.sluice.e2e.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Function;

/**
 * One traffic router as a user sets it up for rollout {@code name}: Services {@code <name>-stable}
 * and {@code <name>-canary}, the user's route object (or none, for SMI), the rollout's
 * trafficRouting, and how to read back what the router wrote, as {@code kubectl get -o yaml} shows it.
 *
 * @param objects YAML of the Services and the user's route object
 * @param trafficRouting YAML of spec.strategy.canary.trafficRouting's content
 * @param apiVersion, kind, objectName the object that carries the weight (what the timeline watches)
 * @param weights reads the canary and stable weight off that object
 * @param userOwned the parts of the user's object that Sluice does not own (must survive a rollout)
 */
record RouterFixture(
    String router,
    String name,
    String objects,
    String trafficRouting,
    String apiVersion,
    String kind,
    String objectName,
    Function<JsonNode, Weights> weights,
    String userObjectKind,
    String userObjectApiVersion,
    String userObjectName,
    Function<JsonNode, JsonNode> userOwned) {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Weights as stored; null when the object does not carry one (yet). */
  record Weights(Integer canary, Integer stable) {
    static final Weights NONE = new Weights(null, null);
  }

  @Override
  public String toString() {
    return router;
  }

  String canaryService() {
    return name + "-canary";
  }

  String stableService() {
    return name + "-stable";
  }

  /** The object carrying the weight as stored, or null. */
  JsonNode weightObject(KubernetesClient k8s, String namespace) {
    return tree(k8s.genericKubernetesResources(apiVersion, kind).inNamespace(namespace).withName(objectName).get());
  }

  Weights storedWeights(KubernetesClient k8s, String namespace) {
    JsonNode object = weightObject(k8s, namespace);
    return object == null ? Weights.NONE : weights.apply(object);
  }

  JsonNode userObject(KubernetesClient k8s, String namespace) {
    return tree(k8s.genericKubernetesResources(userObjectApiVersion, userObjectKind).inNamespace(namespace)
        .withName(userObjectName).get());
  }

  /** The user's own fields of the user's object, to compare before and after a rollout. */
  JsonNode userOwnedFields(KubernetesClient k8s, String namespace) {
    return userOwned.apply(userObject(k8s, namespace));
  }

  static JsonNode tree(GenericKubernetesResource resource) {
    return resource == null ? null : JSON.valueToTree(resource);
  }

  private static String services(String name) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s-stable}
        spec: {selector: {app: %1$s}, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: %1$s-canary}
        spec: {selector: {app: %1$s}, ports: [{port: 80}]}
        """.formatted(name);
  }

  static RouterFixture gatewayApi(String name) {
    String route = name + "-route";
    return new RouterFixture("Gateway API", name, services(name) + """
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: %1$s-route
          annotations: {team: payments}
        spec:
          parentRefs: [{name: public-gateway}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /}}]
            backendRefs:
            - {name: %1$s-stable, port: 80, weight: 100}
            - {name: %1$s-canary, port: 80, weight: 0}
          - name: admin
            matches: [{path: {type: PathPrefix, value: /admin}}]
            backendRefs: [{name: admin, port: 8080}]
        """.formatted(name),
        """
        gatewayAPI: {httpRoute: %s}
        managedRoutes: [{name: header-beta}, {name: mirror-api}]
        """.formatted(route),
        "gateway.networking.k8s.io/v1", "HTTPRoute", route,
        tree -> {
          for (JsonNode rule : tree.at("/spec/rules")) {
            if (!rule.path("name").asText().startsWith("sluice-")) {
              return new Weights(backendWeight(rule, name + "-canary"), backendWeight(rule, name + "-stable"));
            }
          }
          return Weights.NONE;
        },
        "HTTPRoute", "gateway.networking.k8s.io/v1", route,
        tree -> userParts(tree, "/spec/parentRefs", ruleNamed(tree.at("/spec/rules"), "admin")));
  }

  static RouterFixture istio(String name) {
    String vs = name + "-vs";
    return new RouterFixture("Istio", name, services(name) + """
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: %1$s-vs
          annotations: {team: payments}
        spec:
          hosts: [%1$s.example.com]
          http:
          - name: primary
            match: [{uri: {prefix: /}}]
            route:
            - {destination: {host: %1$s-stable, port: {number: 80}}, weight: 100}
            - {destination: {host: %1$s-canary, port: {number: 80}}, weight: 0}
          - name: legacy
            route: [{destination: {host: legacy}}]
        """.formatted(name),
        """
        istio: {virtualService: {name: %s, routes: [primary]}}
        managedRoutes: [{name: header-beta}, {name: mirror-api}]
        """.formatted(vs),
        "networking.istio.io/v1beta1", "VirtualService", vs,
        tree -> {
          JsonNode primary = ruleNamed(tree.at("/spec/http"), "primary");
          return new Weights(destinationWeight(primary, name + "-canary"), destinationWeight(primary, name + "-stable"));
        },
        "VirtualService", "networking.istio.io/v1beta1", vs,
        tree -> userParts(tree, "/spec/hosts", ruleNamed(tree.at("/spec/http"), "legacy")));
  }

  static RouterFixture nginx(String name) {
    String stable = name + "-ingress";
    return new RouterFixture("NGINX Ingress", name, services(name) + """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %1$s-ingress
          annotations: {team: payments, nginx.ingress.kubernetes.io/rewrite-target: /}
        spec:
          ingressClassName: nginx
          rules:
          - host: %1$s.example.com
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: %1$s-stable, port: {number: 80}}}}
              - {path: /docs, pathType: Prefix, backend: {service: {name: docs, port: {number: 80}}}}
        """.formatted(name),
        """
        nginx: {stableIngress: %s}
        """.formatted(stable),
        // the canary Ingress Sluice creates beside the user's
        "networking.k8s.io/v1", "Ingress", stable + "-" + name + "-canary",
        tree -> {
          JsonNode weight = tree.at("/metadata/annotations").path("nginx.ingress.kubernetes.io/canary-weight");
          if (weight.isMissingNode()) {
            return Weights.NONE;
          }
          int canary = Integer.parseInt(weight.asText());
          return new Weights(canary, 100 - canary);
        },
        "Ingress", "networking.k8s.io/v1", stable,
        // Sluice never writes the user's stable Ingress
        tree -> userParts(tree, "/spec", tree.at("/metadata/annotations")));
  }

  static RouterFixture smi(String name) {
    return new RouterFixture("SMI", name, services(name),
        """
        smi: {}
        """,
        // Sluice creates the TrafficSplit (named after the rollout) and owns its spec
        "split.smi-spec.io/v1alpha2", "TrafficSplit", name,
        tree -> {
          Integer canary = null;
          Integer stable = null;
          for (JsonNode backend : tree.at("/spec/backends")) {
            if (backend.path("service").asText().equals(name + "-canary")) canary = backend.path("weight").asInt();
            if (backend.path("service").asText().equals(name + "-stable")) stable = backend.path("weight").asInt();
          }
          return new Weights(canary, stable);
        },
        "TrafficSplit", "split.smi-spec.io/v1alpha2", name,
        // a user's annotation on Sluice's TrafficSplit is theirs
        tree -> userParts(tree, "/metadata/annotations/team", tree.at("/metadata/labels")));
  }

  private static Integer backendWeight(JsonNode rule, String service) {
    for (JsonNode ref : rule.path("backendRefs")) {
      if (ref.path("name").asText().equals(service)) {
        return ref.path("weight").asInt(1);
      }
    }
    return null;
  }

  private static Integer destinationWeight(JsonNode route, String host) {
    for (JsonNode entry : route.path("route")) {
      if (entry.at("/destination/host").asText().equals(host)) {
        return entry.path("weight").asInt(0);
      }
    }
    return null;
  }

  static JsonNode ruleNamed(JsonNode rules, String name) {
    for (JsonNode rule : rules) {
      if (rule.path("name").asText().equals(name)) {
        return rule;
      }
    }
    return JSON.missingNode();
  }

  private static JsonNode userParts(JsonNode tree, String pointer, JsonNode other) {
    ObjectNode parts = JSON.createObjectNode();
    parts.set("team", present(tree.at("/metadata/annotations/team")));
    parts.set(pointer, present(tree.at(pointer)));
    parts.set("other", present(other));
    return parts;
  }

  private static JsonNode present(JsonNode node) {
    return node.isMissingNode() ? JSON.nullNode() : node;
  }
}

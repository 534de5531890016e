package dev.sluice.traffic;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.RouteMatch;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import dev.sluice.api.v1alpha1.CanaryStep.StringMatch;
import dev.sluice.traffic.StringMatches.Checked;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rewrites a Gateway API HTTPRoute ({@code gateway.networking.k8s.io/v1}). Sluice owns the weights
 * of the canary and stable backendRefs in rules that name both Services, and the rules it adds for
 * managed routes, which carry the rule name {@code sluice-<managed route name>}. Everything else
 * is the user's and is left as it is.
 *
 * <p>A managed rule copies the matches of the first weighted rule and narrows each one (a header
 * route adds header matches; a mirror route sets path/method and adds headers), so it is more
 * specific than the rule it shadows and never catches requests that rule would not have served.
 */
final class HttpRouteRewriter {
  static final String API_VERSION = "gateway.networking.k8s.io/v1";
  static final String KIND = "HTTPRoute";
  static final String MANAGED_RULE_PREFIX = "sluice-";
  /** Gateway API's default backendRef weight. */
  private static final long DEFAULT_WEIGHT = 1;
  private static final Pattern RULE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final String canaryService;
  private final String stableService;
  private final String serviceNamespace;

  /**
   * @param serviceNamespace where the canary and stable Services live (the Rollout's namespace); a
   *     backendRef without a namespace refers to the HTTPRoute's own namespace
   */
  HttpRouteRewriter(String canaryService, String stableService, String serviceNamespace) {
    this.canaryService = canaryService;
    this.stableService = stableService;
    this.serviceNamespace = serviceNamespace;
  }

  GenericKubernetesResource withWeight(GenericKubernetesResource route, WeightSplit split) {
    ObjectNode tree = JsonTrees.toTree(route);
    List<ObjectNode> rules = rules(tree);
    requireWeightedUserRule(tree, rules);
    for (ObjectNode rule : rules) {
      if (isWeighted(tree, rule)) {
        for (ObjectNode ref : JsonTrees.objects(rule, "backendRefs")) {
          if (refersTo(tree, ref, canaryService)) {
            ref.put("weight", split.canary());
          } else if (refersTo(tree, ref, stableService)) {
            ref.put("weight", split.stable());
          }
        }
      }
    }
    return JsonTrees.toResource(tree);
  }

  /** The canary weight in place, out of {@code total}; empty when the weighted rules disagree. */
  Optional<Integer> canaryWeight(GenericKubernetesResource route, int total) {
    ObjectNode tree = JsonTrees.toTree(route);
    ObjectNode first = requireWeightedUserRule(tree, rules(tree));
    Optional<Integer> weight = share(tree, first, total);
    for (ObjectNode rule : rules(tree)) {
      if (isWeighted(tree, rule) && !share(tree, rule, total).equals(weight)) {
        return Optional.empty();
      }
    }
    return weight;
  }

  GenericKubernetesResource withHeaderRoute(GenericKubernetesResource route, SetHeaderRoute step, List<String> order) {
    String name = managedRuleName(step.name(), "setHeaderRoute", order);
    ObjectNode tree = JsonTrees.toTree(route);
    List<ObjectNode> rules = rules(tree);
    ObjectNode rule = null;
    if (!StringMatches.removes(step)) {
      ObjectNode source = requireWeightedUserRule(tree, rules);
      List<HeaderMatch> headers = StringMatches.checkedHeaders(step);
      ArrayNode matches = JsonTrees.NODES.arrayNode();
      for (ObjectNode match : sourceMatches(source)) {
        headers.forEach(h -> headerMatches(match).add(headerMatch(h.headerName(),
            StringMatches.check(h.headerValue(), "setHeaderRoute \"" + step.name() + "\" header " + h.headerName()))));
        matches.add(match);
      }
      rule = JsonTrees.NODES.objectNode();
      rule.put("name", name);
      rule.set("matches", matches);
      ArrayNode filters = userFilters(source);
      if (!filters.isEmpty()) {
        rule.set("filters", filters);
      }
      ObjectNode canaryRef = canaryRef(tree, source).deepCopy();
      canaryRef.remove("weight");
      rule.set("backendRefs", JsonTrees.arrayOf(List.of(canaryRef)));
    }
    setRules(tree, ManagedRoutes.upsert(rules, this::managedName, step.name(), rule, order));
    return JsonTrees.toResource(tree);
  }

  GenericKubernetesResource withMirrorRoute(GenericKubernetesResource route, SetMirrorRoute step, List<String> order) {
    String name = managedRuleName(step.name(), "setMirrorRoute", order);
    ObjectNode tree = JsonTrees.toTree(route);
    List<ObjectNode> rules = rules(tree);
    ObjectNode rule = null;
    if (!StringMatches.removes(step)) {
      ObjectNode source = requireWeightedUserRule(tree, rules);
      int percent = StringMatches.mirrorPercentage(step);
      ArrayNode matches = JsonTrees.NODES.arrayNode();
      for (RouteMatch mirrorMatch : step.match()) {
        for (ObjectNode match : sourceMatches(source)) {
          matches.add(narrowed(match, mirrorMatch, step.name()));
        }
      }
      ObjectNode mirrorRef = canaryRef(tree, source).deepCopy();
      mirrorRef.remove("weight");
      mirrorRef.remove("filters");
      ObjectNode mirror = JsonTrees.NODES.objectNode();
      mirror.set("backendRef", mirrorRef);
      mirror.put("percent", percent);
      ObjectNode filter = JsonTrees.NODES.objectNode();
      filter.put("type", "RequestMirror");
      filter.set("requestMirror", mirror);

      rule = JsonTrees.NODES.objectNode();
      rule.put("name", name);
      rule.set("matches", matches);
      ArrayNode filters = userFilters(source);
      filters.add(filter);
      rule.set("filters", filters);
      rule.set("backendRefs", source.get("backendRefs").deepCopy());
    }
    setRules(tree, ManagedRoutes.upsert(rules, this::managedName, step.name(), rule, order));
    return JsonTrees.toResource(tree);
  }

  GenericKubernetesResource withoutManagedRoutes(GenericKubernetesResource route) {
    ObjectNode tree = JsonTrees.toTree(route);
    setRules(tree, ManagedRoutes.withoutManaged(rules(tree), this::managedName));
    return JsonTrees.toResource(tree);
  }

  private List<ObjectNode> rules(ObjectNode tree) {
    List<ObjectNode> rules = JsonTrees.objects(tree.path("spec"), "rules");
    if (rules.isEmpty()) {
      throw TrafficRoutingException.malformed(KIND + " " + JsonTrees.name(tree) + ": spec.rules is empty");
    }
    return rules;
  }

  private static void setRules(ObjectNode tree, List<ObjectNode> rules) {
    ((ObjectNode) tree.get("spec")).set("rules", JsonTrees.arrayOf(rules));
  }

  private Optional<String> managedName(ObjectNode rule) {
    String name = JsonTrees.text(rule, "name");
    return name != null && name.startsWith(MANAGED_RULE_PREFIX)
        ? Optional.of(name.substring(MANAGED_RULE_PREFIX.length())) : Optional.empty();
  }

  private static String managedRuleName(String stepName, String step, List<String> order) {
    ManagedRoutes.requireListed(order, stepName, step);
    String name = MANAGED_RULE_PREFIX + stepName;
    if (!RULE_NAME.matcher(name).matches() || name.length() > 253) {
      throw TrafficRoutingException.invalidSpec(step + " \"" + stepName
          + "\": a Gateway API rule name allows only lowercase letters, digits and '-'");
    }
    return name;
  }

  /** The first of the user's rules that sends to both Services, or an error saying what is missing. */
  private ObjectNode requireWeightedUserRule(ObjectNode tree, List<ObjectNode> rules) {
    for (ObjectNode rule : rules) {
      if (managedName(rule).isEmpty() && isWeighted(tree, rule)) {
        return rule;
      }
    }
    String route = KIND + " " + JsonTrees.name(tree);
    for (int i = 0; i < rules.size(); i++) {
      ObjectNode rule = rules.get(i);
      if (managedName(rule).isEmpty() && hasRef(tree, rule, canaryService)) {
        throw TrafficRoutingException.malformed(route + ": spec.rules[" + i + "] has a backendRef to Service "
            + canaryService + " but none to Service " + stableService);
      }
    }
    throw TrafficRoutingException.malformed(route + ": no backendRef to Service " + canaryService + " in spec.rules");
  }

  private boolean isWeighted(ObjectNode tree, ObjectNode rule) {
    return hasRef(tree, rule, canaryService) && hasRef(tree, rule, stableService);
  }

  private boolean hasRef(ObjectNode tree, ObjectNode rule, String service) {
    return JsonTrees.objects(rule, "backendRefs").stream().anyMatch(ref -> refersTo(tree, ref, service));
  }

  private ObjectNode canaryRef(ObjectNode tree, ObjectNode rule) {
    return JsonTrees.objects(rule, "backendRefs").stream().filter(ref -> refersTo(tree, ref, canaryService))
        .findFirst().orElseThrow();
  }

  private boolean refersTo(ObjectNode tree, ObjectNode ref, String service) {
    String group = JsonTrees.text(ref, "group");
    String kind = JsonTrees.text(ref, "kind");
    String namespace = JsonTrees.text(ref, "namespace");
    if (namespace == null) {
      namespace = JsonTrees.text(tree.path("metadata"), "namespace");
    }
    return service.equals(JsonTrees.text(ref, "name"))
        && (group == null || group.isEmpty())
        && (kind == null || kind.equals("Service"))
        && (namespace == null || namespace.equals(serviceNamespace));
  }

  private Optional<Integer> share(ObjectNode tree, ObjectNode rule, int total) {
    long canary = 0;
    long stable = 0;
    for (ObjectNode ref : JsonTrees.objects(rule, "backendRefs")) {
      if (refersTo(tree, ref, canaryService)) {
        canary += JsonTrees.number(ref, "weight", DEFAULT_WEIGHT);
      } else if (refersTo(tree, ref, stableService)) {
        stable += JsonTrees.number(ref, "weight", DEFAULT_WEIGHT);
      }
    }
    return WeightSplit.share(canary, stable, total);
  }

  /** Copies of the rule's matches; a rule without matches matches everything, like one empty match. */
  private static List<ObjectNode> sourceMatches(ObjectNode rule) {
    List<ObjectNode> matches = new ArrayList<>();
    JsonTrees.objects(rule, "matches").forEach(m -> matches.add(m.deepCopy()));
    if (matches.isEmpty()) {
      matches.add(JsonTrees.NODES.objectNode());
    }
    return matches;
  }

  /** The rule's filters other than mirrors, which the managed rule must not repeat. */
  private static ArrayNode userFilters(ObjectNode rule) {
    ArrayNode filters = JsonTrees.NODES.arrayNode();
    JsonTrees.objects(rule, "filters").stream()
        .filter(f -> !"RequestMirror".equals(JsonTrees.text(f, "type")))
        .forEach(f -> filters.add(f.deepCopy()));
    return filters;
  }

  private static ArrayNode headerMatches(ObjectNode match) {
    return match.has("headers") && match.get("headers").isArray()
        ? (ArrayNode) match.get("headers") : match.putArray("headers");
  }

  private static ObjectNode headerMatch(String header, Checked value) {
    ObjectNode out = JsonTrees.NODES.objectNode();
    out.put("name", header);
    if (value.type() == StringMatches.Type.EXACT) {
      out.put("type", "Exact");
      out.put("value", value.value());
    } else {
      out.put("type", "RegularExpression");
      out.put("value", value.asRegex());
    }
    return out;
  }

  private static ObjectNode narrowed(ObjectNode match, RouteMatch mirror, String stepName) {
    String where = "setMirrorRoute \"" + stepName + "\"";
    if (mirror == null) {
      return match;
    }
    if (mirror.path() != null) {
      Checked path = StringMatches.check(mirror.path(), where + " path");
      ObjectNode p = match.putObject("path");
      if (path.type() == StringMatches.Type.EXACT) {
        p.put("type", "Exact");
      } else if (path.type() == StringMatches.Type.PREFIX) {
        p.put("type", "PathPrefix");
      } else {
        p.put("type", "RegularExpression");
      }
      p.put("value", path.value());
    }
    if (mirror.method() != null) {
      Checked method = StringMatches.check(mirror.method(), where + " method");
      if (method.type() != StringMatches.Type.EXACT) {
        throw TrafficRoutingException.unsupported(where + ": Gateway API matches a method only exactly");
      }
      match.put("method", method.value());
    }
    if (mirror.headers() != null) {
      for (Map.Entry<String, StringMatch> h : mirror.headers().entrySet()) {
        headerMatches(match).add(headerMatch(h.getKey(), StringMatches.check(h.getValue(), where + " header " + h.getKey())));
      }
    }
    return match;
  }
}

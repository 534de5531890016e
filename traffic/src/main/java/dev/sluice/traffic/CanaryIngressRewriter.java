package dev.sluice.traffic;

import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.TrafficRouting;
import dev.sluice.traffic.StringMatches.Checked;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressRuleValue;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the NGINX canary Ingress for one stable Ingress: the stable Ingress's rules, TLS and class,
 * limited to the paths that go to the stable Service, now going to the canary Service, with the
 * ingress-nginx canary annotations. The stable Ingress itself is never changed.
 *
 * <p>The canary Ingress is Sluice's: it owns its spec and every annotation under the annotation
 * prefix, and keeps other labels and annotations someone put on it.
 */
final class CanaryIngressRewriter {
  static final String DEFAULT_PREFIX = "nginx.ingress.kubernetes.io";
  /** On the canary Ingress: the managed header route whose canary-by-header annotations are set. */
  static final String HEADER_ROUTE_ANNOTATION = "sluice.dev/header-route";
  private static final String INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
  private static final int MAX_NAME = 253;

  /** A header route as ingress-nginx can express it: one header, matched exactly or by pattern. */
  record HeaderRoute(String name, String header, Checked value) {}

  private final String prefix;
  private final Map<String, String> additionalAnnotations;
  private final Map<String, String> canaryAnnotations;
  private final String canaryService;
  private final String stableService;

  CanaryIngressRewriter(TrafficRouting.Nginx nginx, String canaryService, String stableService) {
    this.prefix = nginx.annotationPrefix() == null || nginx.annotationPrefix().isBlank()
        ? DEFAULT_PREFIX : nginx.annotationPrefix();
    this.additionalAnnotations = nginx.additionalIngressAnnotations() == null ? Map.of() : nginx.additionalIngressAnnotations();
    this.canaryAnnotations = nginx.canaryIngressAnnotations() == null ? Map.of() : nginx.canaryIngressAnnotations();
    this.canaryService = canaryService;
    this.stableService = stableService;
  }

  static String canaryIngressName(String stableIngress, String rollout) {
    String name = stableIngress + "-" + rollout + "-canary";
    return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME).replaceAll("[-.]+$", "");
  }

  /**
   * The canary Ingress to store for {@code stable}; {@code existing} is the current one, or null.
   *
   * @param header the header route to carry, or null for none
   */
  Ingress canaryIngress(Ingress stable, Ingress existing, String rolloutName, OwnerReference owner, WeightSplit split,
      HeaderRoute header) {
    Ingress canary = new Ingress();
    canary.setApiVersion("networking.k8s.io/v1");
    canary.setKind("Ingress");
    ObjectMeta metadata = existing == null ? new ObjectMeta() : JsonTrees.copy(existing.getMetadata(), ObjectMeta.class);
    if (existing == null) {
      metadata.setName(canaryIngressName(stable.getMetadata().getName(), rolloutName));
      metadata.setNamespace(stable.getMetadata().getNamespace());
      if (owner != null) {
        metadata.setOwnerReferences(List.of(owner));
      }
    }
    metadata.setAnnotations(annotations(stable, existing, split, header));
    canary.setMetadata(metadata);
    canary.setSpec(canarySpec(stable));
    return canary;
  }

  /** The header route of a step, checked for what ingress-nginx supports. */
  HeaderRoute headerRoute(SetHeaderRoute step, List<String> managedOrder) {
    ManagedRoutes.requireListed(managedOrder, step.name(), "setHeaderRoute");
    List<HeaderMatch> headers = StringMatches.checkedHeaders(step);
    if (headers.size() != 1) {
      throw TrafficRoutingException.unsupported("setHeaderRoute \"" + step.name()
          + "\": NGINX Ingress routes to the canary by one header only, not " + headers.size());
    }
    if (additionalAnnotations.containsKey("canary-by-header")) {
      throw TrafficRoutingException.invalidSpec("setHeaderRoute \"" + step.name()
          + "\": trafficRouting.nginx.additionalIngressAnnotations already sets canary-by-header");
    }
    HeaderMatch h = headers.get(0);
    return new HeaderRoute(step.name(), h.headerName(),
        StringMatches.check(h.headerValue(), "setHeaderRoute \"" + step.name() + "\" header " + h.headerName()));
  }

  /** The header route a canary Ingress carries now. */
  Optional<HeaderRoute> headerRouteIn(Ingress canary) {
    Map<String, String> annotations = annotationsOf(canary);
    String name = annotations.get(HEADER_ROUTE_ANNOTATION);
    String header = annotations.get(key("canary-by-header"));
    if (name == null || header == null) {
      return Optional.empty();
    }
    String exact = annotations.get(key("canary-by-header-value"));
    String pattern = annotations.get(key("canary-by-header-pattern"));
    Checked value = exact != null ? new Checked(StringMatches.Type.EXACT, exact)
        : new Checked(StringMatches.Type.REGEX, pattern == null ? ".*" : pattern);
    return Optional.of(new HeaderRoute(name, header, value));
  }

  /** The canary weight a canary Ingress carries, out of its own canary-weight-total. */
  Optional<Integer> canaryWeight(Ingress canary, int total) {
    if (canary == null) {
      return Optional.of(0);
    }
    Map<String, String> annotations = annotationsOf(canary);
    try {
      int weight = Integer.parseInt(annotations.getOrDefault(key("canary-weight"), ""));
      int ingressTotal = Integer.parseInt(annotations.getOrDefault(key("canary-weight-total"), "100"));
      return WeightSplit.share(weight, (long) ingressTotal - weight, total);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The raw canary-weight of an existing canary Ingress, 0 when it has none. */
  int weightIn(Ingress canary) {
    try {
      return canary == null ? 0 : Integer.parseInt(annotationsOf(canary).getOrDefault(key("canary-weight"), "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private String key(String annotation) {
    return prefix + "/" + annotation;
  }

  private static Map<String, String> annotationsOf(Ingress ingress) {
    Map<String, String> annotations = ingress.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }

  private Map<String, String> annotations(Ingress stable, Ingress existing, WeightSplit split, HeaderRoute header) {
    Map<String, String> out = new LinkedHashMap<>();
    if (existing != null) {
      annotationsOf(existing).forEach((k, v) -> {
        if (!k.startsWith(prefix + "/") && !k.equals(HEADER_ROUTE_ANNOTATION) && !k.equals(INGRESS_CLASS_ANNOTATION)) {
          out.put(k, v);
        }
      });
    }
    // ingress-nginx picks canaries by class; no other annotation of the stable Ingress matters
    String ingressClass = annotationsOf(stable).get(INGRESS_CLASS_ANNOTATION);
    if (ingressClass != null) {
      out.put(INGRESS_CLASS_ANNOTATION, ingressClass);
    }
    out.putAll(canaryAnnotations);
    additionalAnnotations.forEach((k, v) -> out.put(key(k), v));
    out.put(key("canary"), "true");
    out.put(key("canary-weight"), Integer.toString(split.canary()));
    if (split.total() != RouterContext.DEFAULT_MAX_TRAFFIC_WEIGHT) {
      out.put(key("canary-weight-total"), Integer.toString(split.total()));
    }
    if (header != null) {
      out.put(HEADER_ROUTE_ANNOTATION, header.name());
      out.put(key("canary-by-header"), header.header());
      if (header.value().type() == StringMatches.Type.EXACT) {
        out.put(key("canary-by-header-value"), header.value().value());
      } else {
        out.put(key("canary-by-header-pattern"), header.value().asRegex());
      }
    }
    return out;
  }

  private IngressSpec canarySpec(Ingress stable) {
    IngressSpec source = stable.getSpec() == null ? new IngressSpec() : stable.getSpec();
    IngressSpec spec = JsonTrees.copy(source, IngressSpec.class);
    List<IngressRule> rules = new ArrayList<>();
    for (IngressRule rule : spec.getRules() == null ? List.<IngressRule>of() : spec.getRules()) {
      if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
        continue;
      }
      List<HTTPIngressPath> paths = new ArrayList<>();
      for (HTTPIngressPath path : rule.getHttp().getPaths()) {
        if (toStable(path.getBackend())) {
          path.getBackend().getService().setName(canaryService);
          paths.add(path);
        }
      }
      if (!paths.isEmpty()) {
        rule.setHttp(new HTTPIngressRuleValue(paths));
        rules.add(rule);
      }
    }
    spec.setRules(rules);
    if (toStable(spec.getDefaultBackend())) {
      spec.getDefaultBackend().getService().setName(canaryService);
    } else {
      spec.setDefaultBackend(null);
    }
    if (rules.isEmpty() && spec.getDefaultBackend() == null) {
      throw TrafficRoutingException.malformed("Ingress " + stable.getMetadata().getName()
          + ": no backend to Service " + stableService + " in spec.rules or spec.defaultBackend");
    }
    return spec;
  }

  private boolean toStable(IngressBackend backend) {
    return backend != null && backend.getService() != null && stableService.equals(backend.getService().getName());
  }
}

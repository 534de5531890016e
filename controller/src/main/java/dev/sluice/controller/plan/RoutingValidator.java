package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.RouteMatch;
import dev.sluice.api.v1alpha1.CanaryStep.StringMatch;
import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.TrafficRouting;
import dev.sluice.api.v1alpha1.TrafficRouting.DestinationRule;
import dev.sluice.api.v1alpha1.TrafficRouting.ManagedRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.VirtualService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The traffic-routing part of {@link SpecValidator}: trafficRouting itself, the fields that only
 * mean something with a router, and setHeaderRoute/setMirrorRoute steps. A router may be combined
 * with one other only as an edge router (nginx or gatewayAPI) in front of a mesh (istio or smi).
 */
final class RoutingValidator {
  private static final String CANARY = "spec.strategy.canary";
  private static final String ROUTING = CANARY + ".trafficRouting";
  private static final Pattern RULE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private RoutingValidator() {}

  static Optional<String> strategy(CanaryStrategy canary) {
    TrafficRouting routing = canary.trafficRouting();
    if (routing == null) {
      if (Boolean.TRUE.equals(canary.dynamicStableScale())) {
        return Optional.of(CANARY + ".dynamicStableScale: needs trafficRouting (without a router the stable's pods already follow the weight)");
      }
      if (canary.scaleDownDelaySeconds() != null) {
        return Optional.of(CANARY + ".scaleDownDelaySeconds: needs trafficRouting (without a router the old stable is scaled down as the canary grows)");
      }
      return Optional.empty();
    }
    return SpecValidator.first(
        () -> routers(routing),
        () -> routing.maxTrafficWeight() != null && routing.maxTrafficWeight() < 1
            ? Optional.of(ROUTING + ".maxTrafficWeight: must be at least 1, got " + routing.maxTrafficWeight())
            : Optional.empty(),
        () -> nginx(routing.nginx()),
        () -> istio(routing.istio()),
        () -> gatewayApi(routing.gatewayAPI()),
        () -> managedRoutes(routing),
        () -> services(canary),
        () -> SpecValidator.atLeast(CANARY + ".scaleDownDelaySeconds", canary.scaleDownDelaySeconds(), 0),
        () -> SpecValidator.atLeast(CANARY + ".scaleDownDelayRevisionLimit", canary.scaleDownDelayRevisionLimit(), 0),
        () -> Boolean.TRUE.equals(canary.dynamicStableScale()) && canary.scaleDownDelaySeconds() != null
            ? Optional.of(CANARY + ".dynamicStableScale: cannot be combined with scaleDownDelaySeconds (the old stable has no pods left to keep)")
            : Optional.empty());
  }

  /** The largest setWeight: maxTrafficWeight with a router, else 100 (a percent of pods). */
  static int maxWeight(TrafficRouting routing) {
    return routing == null || routing.maxTrafficWeight() == null ? 100 : routing.maxTrafficWeight();
  }

  static Optional<String> setWeight(String path, int weight, TrafficRouting routing) {
    int max = maxWeight(routing);
    if (weight >= 0 && weight <= max) {
      return Optional.empty();
    }
    return Optional.of(path + ": must be between 0 and " + max
        + (routing == null ? "" : " (trafficRouting.maxTrafficWeight)") + ", got " + weight);
  }

  static Optional<String> headerRoute(String path, CanaryStep.SetHeaderRoute route, TrafficRouting routing) {
    if (routing == null) {
      return Optional.of(path + ": needs trafficRouting");
    }
    if (routing.smi() != null) {
      return Optional.of(path + ": SMI cannot route by header; use nginx, istio or gatewayAPI");
    }
    List<HeaderMatch> matches = route.match() == null ? List.of() : route.match();
    return SpecValidator.first(
        () -> listed(path + ".name", route.name(), routing),
        () -> {
          for (int j = 0; j < matches.size(); j++) {
            String at = path + ".match[" + j + "]";
            HeaderMatch m = matches.get(j);
            if (m == null || m.headerName() == null || m.headerName().isBlank()) {
              return Optional.of(at + ".headerName: required");
            }
            Optional<String> problem = stringMatch(at + ".headerValue", m.headerValue());
            if (problem.isPresent()) {
              return problem;
            }
          }
          return Optional.empty();
        });
  }

  static Optional<String> mirrorRoute(String path, CanaryStep.SetMirrorRoute route, TrafficRouting routing) {
    if (routing == null) {
      return Optional.of(path + ": needs trafficRouting");
    }
    if (routing.nginx() != null) {
      return Optional.of(path + ": NGINX Ingress cannot mirror traffic; use istio or gatewayAPI");
    }
    if (routing.smi() != null) {
      return Optional.of(path + ": SMI cannot mirror traffic; use istio or gatewayAPI");
    }
    List<RouteMatch> matches = route.match() == null ? List.of() : route.match();
    return SpecValidator.first(
        () -> listed(path + ".name", route.name(), routing),
        () -> route.percentage() != null && (route.percentage() < 0 || route.percentage() > 100)
            ? Optional.of(path + ".percentage: must be between 0 and 100, got " + route.percentage())
            : Optional.empty(),
        () -> {
          for (int j = 0; j < matches.size(); j++) {
            Optional<String> problem = routeMatch(path + ".match[" + j + "]", matches.get(j), routing);
            if (problem.isPresent()) {
              return problem;
            }
          }
          return Optional.empty();
        });
  }

  private static Optional<String> routers(TrafficRouting routing) {
    List<String> set = new ArrayList<>();
    if (routing.nginx() != null) set.add("nginx");
    if (routing.istio() != null) set.add("istio");
    if (routing.smi() != null) set.add("smi");
    if (routing.gatewayAPI() != null) set.add("gatewayAPI");
    if (set.isEmpty()) {
      return Optional.of(ROUTING + ": set one of nginx, istio, smi, gatewayAPI");
    }
    boolean twoEdges = routing.nginx() != null && routing.gatewayAPI() != null;
    boolean twoMeshes = routing.istio() != null && routing.smi() != null;
    if (twoEdges || twoMeshes) {
      return Optional.of(ROUTING + ": " + String.join(", ", set) + " cannot be combined; combine at most one of nginx, "
          + "gatewayAPI (in front) with at most one of istio, smi (the mesh)");
    }
    return Optional.empty();
  }

  private static Optional<String> nginx(TrafficRouting.Nginx nginx) {
    if (nginx == null) {
      return Optional.empty();
    }
    String path = ROUTING + ".nginx";
    boolean single = nginx.stableIngress() != null && !nginx.stableIngress().isBlank();
    List<String> many = nginx.stableIngresses() == null ? List.of() : nginx.stableIngresses();
    if (!single && many.isEmpty()) {
      return Optional.of(path + ": set stableIngress or stableIngresses");
    }
    return blankAt(path + ".stableIngresses", many);
  }

  private static Optional<String> istio(TrafficRouting.Istio istio) {
    if (istio == null) {
      return Optional.empty();
    }
    String path = ROUTING + ".istio";
    List<VirtualService> many = istio.virtualServices() == null ? List.of() : istio.virtualServices();
    if (istio.virtualService() == null && many.isEmpty()) {
      return Optional.of(path + ": set virtualService or virtualServices");
    }
    if (istio.virtualService() != null && blank(istio.virtualService().name())) {
      return Optional.of(path + ".virtualService.name: required");
    }
    for (int i = 0; i < many.size(); i++) {
      if (many.get(i) == null || blank(many.get(i).name())) {
        return Optional.of(path + ".virtualServices[" + i + "].name: required");
      }
    }
    DestinationRule dr = istio.destinationRule();
    if (dr == null) {
      return Optional.empty();
    }
    String at = path + ".destinationRule";
    if (blank(dr.name())) return Optional.of(at + ".name: required");
    if (blank(dr.canarySubsetName())) return Optional.of(at + ".canarySubsetName: required");
    if (blank(dr.stableSubsetName())) return Optional.of(at + ".stableSubsetName: required");
    if (dr.canarySubsetName().equals(dr.stableSubsetName())) {
      return Optional.of(at + ".canarySubsetName: must differ from stableSubsetName, both are \"" + dr.canarySubsetName() + "\"");
    }
    return Optional.empty();
  }

  private static Optional<String> gatewayApi(TrafficRouting.GatewayApi gateway) {
    if (gateway == null) {
      return Optional.empty();
    }
    String path = ROUTING + ".gatewayAPI";
    List<TrafficRouting.HttpRouteRef> many = gateway.httpRoutes() == null ? List.of() : gateway.httpRoutes();
    if (blank(gateway.httpRoute()) && many.isEmpty()) {
      return Optional.of(path + ": set httpRoute or httpRoutes");
    }
    for (int i = 0; i < many.size(); i++) {
      if (many.get(i) == null || blank(many.get(i).name())) {
        return Optional.of(path + ".httpRoutes[" + i + "].name: required");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> managedRoutes(TrafficRouting routing) {
    List<ManagedRoute> routes = routing.managedRoutes() == null ? List.of() : routing.managedRoutes();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < routes.size(); i++) {
      String path = ROUTING + ".managedRoutes[" + i + "].name";
      String name = routes.get(i) == null ? null : routes.get(i).name();
      if (blank(name)) {
        return Optional.of(path + ": required");
      }
      if (!seen.add(name)) {
        return Optional.of(path + ": \"" + name + "\" is listed twice");
      }
      if (routing.gatewayAPI() != null && !RULE_NAME.matcher("sluice-" + name).matches()) {
        return Optional.of(path + ": must be lowercase letters, digits and '-' (it names an HTTPRoute rule), got \"" + name + "\"");
      }
    }
    return Optional.empty();
  }

  /** canaryService and stableService, as Argo Rollouts requires them: for every router but Istio subsets alone. */
  private static Optional<String> services(CanaryStrategy canary) {
    TrafficRouting r = canary.trafficRouting();
    boolean subsetsOnly = r.istio() != null && r.istio().destinationRule() != null
        && r.nginx() == null && r.smi() == null && r.gatewayAPI() == null;
    if (subsetsOnly) {
      return Optional.empty();
    }
    if (blank(canary.stableService())) {
      return Optional.of(CANARY + ".stableService: required with trafficRouting (the router sends the stable's share to it)");
    }
    if (blank(canary.canaryService())) {
      return Optional.of(CANARY + ".canaryService: required with trafficRouting (the router sends the canary's share to it)");
    }
    return Optional.empty();
  }

  private static Optional<String> listed(String path, String name, TrafficRouting routing) {
    if (blank(name)) {
      return Optional.of(path + ": required");
    }
    boolean listed = routing.managedRoutes() != null
        && routing.managedRoutes().stream().anyMatch(r -> r != null && name.equals(r.name()));
    return listed ? Optional.empty()
        : Optional.of(path + ": \"" + name + "\" is not listed in " + ROUTING + ".managedRoutes");
  }

  private static Optional<String> routeMatch(String path, RouteMatch match, TrafficRouting routing) {
    if (match == null) {
      return Optional.empty();
    }
    if (match.method() != null) {
      Optional<String> problem = stringMatch(path + ".method", match.method());
      if (problem.isPresent()) {
        return problem;
      }
      if (routing.gatewayAPI() != null && match.method().exact() == null) {
        return Optional.of(path + ".method: Gateway API matches a method only exactly; use exact");
      }
    }
    if (match.path() != null) {
      Optional<String> problem = stringMatch(path + ".path", match.path());
      if (problem.isPresent()) {
        return problem;
      }
    }
    Map<String, StringMatch> headers = match.headers() == null ? Map.of() : match.headers();
    for (var header : headers.entrySet()) {
      Optional<String> problem = stringMatch(path + ".headers." + header.getKey(), header.getValue());
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> stringMatch(String path, StringMatch match) {
    List<String> set = new ArrayList<>();
    if (match != null && match.exact() != null) set.add("exact");
    if (match != null && match.prefix() != null) set.add("prefix");
    if (match != null && match.regex() != null) set.add("regex");
    if (set.size() == 1) {
      return Optional.empty();
    }
    return Optional.of(path + ": set exactly one of exact, prefix, regex, got " + (set.isEmpty() ? "none" : String.join(", ", set)));
  }

  private static Optional<String> blankAt(String path, List<String> names) {
    for (int i = 0; i < names.size(); i++) {
      if (blank(names.get(i))) {
        return Optional.of(path + "[" + i + "]: must not be empty");
      }
    }
    return Optional.empty();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}

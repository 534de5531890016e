package dev.sluice.api.validation;

import static dev.sluice.api.validation.CanaryRules.CANARY;
import static dev.sluice.api.validation.Problems.blank;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.RouteMatch;
import dev.sluice.api.v1alpha1.CanaryStep.StringMatch;
import dev.sluice.api.v1alpha1.CanaryStrategy;
import dev.sluice.api.v1alpha1.TrafficRouting;
import dev.sluice.api.v1alpha1.TrafficRouting.DestinationRule;
import dev.sluice.api.v1alpha1.TrafficRouting.ManagedRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.VirtualService;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The traffic-routing rules: trafficRouting itself, the canary fields that only mean something
 * with a router, and setWeight/setHeaderRoute/setMirrorRoute steps. A router may be combined with
 * one other only as an edge router (nginx or gatewayAPI) in front of a mesh (istio or smi).
 */
final class RoutingRules {
  private static final String ROUTING = CANARY + ".trafficRouting";
  private static final Pattern RULE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private RoutingRules() {}

  static void strategy(Problems problems, CanaryStrategy canary) {
    TrafficRouting routing = canary.trafficRouting();
    if (routing == null) {
      if (Boolean.TRUE.equals(canary.dynamicStableScale())) {
        problems.add(CANARY + ".dynamicStableScale", "needs trafficRouting (without a router the stable's pods already follow the weight)");
      }
      if (canary.scaleDownDelaySeconds() != null) {
        problems.add(CANARY + ".scaleDownDelaySeconds", "needs trafficRouting (without a router the old stable is scaled down as the canary grows)");
      }
    } else {
      routers(problems, routing);
      problems.atLeast(ROUTING + ".maxTrafficWeight", routing.maxTrafficWeight(), 1);
      nginx(problems, routing.nginx());
      istio(problems, routing.istio());
      gatewayApi(problems, routing.gatewayAPI());
      managedRoutes(problems, routing);
      services(problems, canary);
      problems.atLeast(CANARY + ".scaleDownDelaySeconds", canary.scaleDownDelaySeconds(), 0);
    }
    problems.atLeast(CANARY + ".scaleDownDelayRevisionLimit", canary.scaleDownDelayRevisionLimit(), 0);
    if (routing != null && Boolean.TRUE.equals(canary.dynamicStableScale()) && canary.scaleDownDelaySeconds() != null) {
      problems.add(CANARY + ".dynamicStableScale", "cannot be combined with scaleDownDelaySeconds (the old stable has no pods left to keep)");
    }
  }

  static void setWeight(Problems problems, String path, int weight, TrafficRouting routing) {
    int max = routing == null || routing.maxTrafficWeight() == null ? 100 : routing.maxTrafficWeight();
    if (weight < 0 || weight > max) {
      problems.add(path, "must be between 0 and " + max + (routing == null ? "" : " (trafficRouting.maxTrafficWeight)") + ", got " + weight);
    }
  }

  static void headerRoute(Problems problems, String path, CanaryStep.SetHeaderRoute route, TrafficRouting routing) {
    if (routing == null) {
      problems.add(path, "needs trafficRouting");
    } else if (routing.smi() != null) {
      problems.add(path, "SMI cannot route by header; use nginx, istio or gatewayAPI");
    }
    listed(problems, path + ".name", route.name(), routing);
    List<HeaderMatch> matches = route.match() == null ? List.of() : route.match();
    for (int j = 0; j < matches.size(); j++) {
      String at = path + ".match[" + j + "]";
      HeaderMatch match = matches.get(j);
      problems.required(at + ".headerName", match == null ? null : match.headerName());
      if (match != null) {
        stringMatch(problems, at + ".headerValue", match.headerValue());
      }
    }
  }

  static void mirrorRoute(Problems problems, String path, CanaryStep.SetMirrorRoute route, TrafficRouting routing) {
    if (routing == null) {
      problems.add(path, "needs trafficRouting");
    } else if (routing.nginx() != null) {
      problems.add(path, "NGINX Ingress cannot mirror traffic; use istio or gatewayAPI");
    } else if (routing.smi() != null) {
      problems.add(path, "SMI cannot mirror traffic; use istio or gatewayAPI");
    }
    listed(problems, path + ".name", route.name(), routing);
    problems.between(path + ".percentage", route.percentage(), 0, 100);
    List<RouteMatch> matches = route.match() == null ? List.of() : route.match();
    for (int j = 0; j < matches.size(); j++) {
      // an empty match (null) matches every request, as {} does
      if (matches.get(j) != null) {
        routeMatch(problems, path + ".match[" + j + "]", matches.get(j), routing);
      }
    }
  }

  private static void routers(Problems problems, TrafficRouting routing) {
    List<String> set = Problems.present("nginx", routing.nginx(), "istio", routing.istio(), "smi", routing.smi(),
        "gatewayAPI", routing.gatewayAPI());
    boolean twoEdges = routing.nginx() != null && routing.gatewayAPI() != null;
    boolean twoMeshes = routing.istio() != null && routing.smi() != null;
    if (set.isEmpty()) {
      problems.add(ROUTING, "set one of nginx, istio, smi, gatewayAPI");
    } else if (twoEdges || twoMeshes) {
      problems.add(ROUTING, String.join(", ", set) + " cannot be combined; combine at most one of nginx, "
          + "gatewayAPI (in front) with at most one of istio, smi (the mesh)");
    }
  }

  private static void nginx(Problems problems, TrafficRouting.Nginx nginx) {
    if (nginx == null) {
      return;
    }
    List<String> many = nginx.stableIngresses() == null ? List.of() : nginx.stableIngresses();
    if (blank(nginx.stableIngress()) && many.isEmpty()) {
      problems.add(ROUTING + ".nginx", "set stableIngress or stableIngresses");
    }
    for (int i = 0; i < many.size(); i++) {
      if (blank(many.get(i))) {
        problems.add(ROUTING + ".nginx.stableIngresses[" + i + "]", "must not be empty");
      }
    }
  }

  private static void istio(Problems problems, TrafficRouting.Istio istio) {
    if (istio == null) {
      return;
    }
    String path = ROUTING + ".istio";
    List<VirtualService> many = istio.virtualServices() == null ? List.of() : istio.virtualServices();
    if (istio.virtualService() == null && many.isEmpty()) {
      problems.add(path, "set virtualService or virtualServices");
    }
    if (istio.virtualService() != null) {
      problems.required(path + ".virtualService.name", istio.virtualService().name());
    }
    for (int i = 0; i < many.size(); i++) {
      problems.required(path + ".virtualServices[" + i + "].name", many.get(i) == null ? null : many.get(i).name());
    }
    DestinationRule rule = istio.destinationRule();
    if (rule != null) {
      String at = path + ".destinationRule";
      problems.required(at + ".name", rule.name());
      problems.required(at + ".canarySubsetName", rule.canarySubsetName());
      problems.required(at + ".stableSubsetName", rule.stableSubsetName());
      if (!blank(rule.canarySubsetName()) && rule.canarySubsetName().equals(rule.stableSubsetName())) {
        problems.add(at + ".canarySubsetName", "must differ from stableSubsetName, both are \"" + rule.canarySubsetName() + "\"");
      }
    }
  }

  private static void gatewayApi(Problems problems, TrafficRouting.GatewayApi gateway) {
    if (gateway == null) {
      return;
    }
    List<TrafficRouting.HttpRouteRef> many = gateway.httpRoutes() == null ? List.of() : gateway.httpRoutes();
    if (blank(gateway.httpRoute()) && many.isEmpty()) {
      problems.add(ROUTING + ".gatewayAPI", "set httpRoute or httpRoutes");
    }
    for (int i = 0; i < many.size(); i++) {
      problems.required(ROUTING + ".gatewayAPI.httpRoutes[" + i + "].name", many.get(i) == null ? null : many.get(i).name());
    }
  }

  private static void managedRoutes(Problems problems, TrafficRouting routing) {
    List<ManagedRoute> routes = routing.managedRoutes() == null ? List.of() : routing.managedRoutes();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < routes.size(); i++) {
      String path = ROUTING + ".managedRoutes[" + i + "].name";
      String name = routes.get(i) == null ? null : routes.get(i).name();
      if (blank(name)) {
        problems.add(path, "required");
      } else if (!seen.add(name)) {
        problems.add(path, "\"" + name + "\" is listed twice");
      } else if (routing.gatewayAPI() != null && !RULE_NAME.matcher("sluice-" + name).matches()) {
        problems.add(path, "must be lowercase letters, digits and '-' (it names an HTTPRoute rule), got \"" + name + "\"");
      }
    }
  }

  /** canaryService and stableService, as Argo Rollouts requires them: for every router but Istio subsets alone. */
  private static void services(Problems problems, CanaryStrategy canary) {
    TrafficRouting r = canary.trafficRouting();
    boolean subsetsOnly = r.istio() != null && r.istio().destinationRule() != null
        && r.nginx() == null && r.smi() == null && r.gatewayAPI() == null;
    if (subsetsOnly) {
      return;
    }
    if (blank(canary.stableService())) {
      problems.add(CANARY + ".stableService", "required with trafficRouting (the router sends the stable's share to it)");
    }
    if (blank(canary.canaryService())) {
      problems.add(CANARY + ".canaryService", "required with trafficRouting (the router sends the canary's share to it)");
    }
  }

  /** A route step's name: given and, with a router, one of trafficRouting.managedRoutes. */
  private static void listed(Problems problems, String path, String name, TrafficRouting routing) {
    if (blank(name)) {
      problems.add(path, "required");
      return;
    }
    boolean listed = routing == null || (routing.managedRoutes() != null
        && routing.managedRoutes().stream().anyMatch(r -> r != null && name.equals(r.name())));
    if (!listed) {
      problems.add(path, "\"" + name + "\" is not listed in " + ROUTING + ".managedRoutes");
    }
  }

  private static void routeMatch(Problems problems, String path, RouteMatch match, TrafficRouting routing) {
    boolean gateway = routing != null && routing.gatewayAPI() != null;
    if (match.method() != null && stringMatch(problems, path + ".method", match.method())
        && gateway && match.method().exact() == null) {
      problems.add(path + ".method", "Gateway API matches a method only exactly; use exact");
    }
    if (match.path() != null) {
      stringMatch(problems, path + ".path", match.path());
    }
    Map<String, StringMatch> headers = match.headers() == null ? Map.of() : match.headers();
    for (var header : headers.entrySet()) {
      stringMatch(problems, Problems.key(path + ".headers", header.getKey()), header.getValue());
    }
  }

  /** @return whether the match is well formed */
  private static boolean stringMatch(Problems problems, String path, StringMatch match) {
    return problems.oneOf(path, "exact, prefix, regex",
        match == null ? List.of() : Problems.present("exact", match.exact(), "prefix", match.prefix(), "regex", match.regex()));
  }
}

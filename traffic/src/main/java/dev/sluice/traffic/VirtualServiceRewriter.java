package dev.sluice.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.v1alpha1.CanaryStep.HeaderMatch;
import dev.sluice.api.v1alpha1.CanaryStep.RouteMatch;
import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import dev.sluice.api.v1alpha1.CanaryStep.StringMatch;
import dev.sluice.api.v1alpha1.TrafficRouting;
import dev.sluice.api.v1alpha1.TrafficRouting.TcpRoute;
import dev.sluice.api.v1alpha1.TrafficRouting.TlsRoute;
import dev.sluice.traffic.StringMatches.Checked;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites an Istio VirtualService. Sluice owns the weights of the canary and stable destinations
 * in the routes named by the spec (http routes by name, tls routes by port/sniHosts, tcp routes by
 * port) and the http routes named after managed routes, which it puts first in managedRoutes
 * order. Everything else is the user's and is left as it is.
 *
 * <p>A managed route is a copy of the first named http route (so rewrites, timeouts and retries
 * still apply) whose matches are narrowed: a header route adds header matches and sends only to
 * the canary; a mirror route narrows by method/uri/headers, keeps the weighted destinations and
 * mirrors a percentage to the canary.
 */
final class VirtualServiceRewriter {
  static final String API_VERSION = "networking.istio.io/v1beta1";
  static final String KIND = "VirtualService";
  private static final List<String> MIRROR_FIELDS = List.of("mirror", "mirrorPercentage", "mirrorPercent", "mirrors");

  private final IstioDestinations destinations;
  private final TrafficRouting.VirtualService spec;
  private final List<String> managedOrder;

  /**
   * @param spec which routes of this VirtualService to split (name, routes, tlsRoutes, tcpRoutes)
   * @param managedOrder trafficRouting.managedRoutes names, in precedence order
   */
  VirtualServiceRewriter(IstioDestinations destinations, TrafficRouting.VirtualService spec, List<String> managedOrder) {
    this.destinations = destinations;
    this.spec = spec;
    this.managedOrder = managedOrder;
  }

  /** One route of the VirtualService that Sluice splits, with a label for messages. */
  private record Split(String label, ObjectNode route, boolean http) {}

  GenericKubernetesResource withWeight(GenericKubernetesResource virtualService, WeightSplit split) {
    ObjectNode tree = JsonTrees.toTree(virtualService);
    List<ObjectNode> routes = new ArrayList<>();
    for (Split s : splits(tree)) {
      requireBothDestinations(tree, s);
      routes.add(s.route());
    }
    JsonTrees.objects(tree.path("spec"), "http").stream()
        .filter(r -> managedName(r).isPresent() && hasBothDestinations(r))
        .forEach(routes::add);
    for (ObjectNode route : routes) {
      for (ObjectNode entry : JsonTrees.objects(route, "route")) {
        if (destinations.isCanary(entry.path("destination"))) {
          entry.put("weight", split.canary());
        } else if (destinations.isStable(entry.path("destination"))) {
          entry.put("weight", split.stable());
        }
      }
    }
    return JsonTrees.toResource(tree);
  }

  /** The canary weight in place, out of {@code total}; empty when the split routes disagree. */
  Optional<Integer> canaryWeight(GenericKubernetesResource virtualService, int total) {
    ObjectNode tree = JsonTrees.toTree(virtualService);
    Optional<Integer> weight = null;
    for (Split s : splits(tree)) {
      requireBothDestinations(tree, s);
      long canary = 0;
      long stable = 0;
      for (ObjectNode entry : JsonTrees.objects(s.route(), "route")) {
        if (destinations.isCanary(entry.path("destination"))) {
          canary += JsonTrees.number(entry, "weight", 0);
        } else if (destinations.isStable(entry.path("destination"))) {
          stable += JsonTrees.number(entry, "weight", 0);
        }
      }
      Optional<Integer> share = WeightSplit.share(canary, stable, total);
      if (weight != null && !weight.equals(share)) {
        return Optional.empty();
      }
      weight = share;
    }
    return weight;
  }

  GenericKubernetesResource withHeaderRoute(GenericKubernetesResource virtualService, SetHeaderRoute step) {
    ManagedRoutes.requireListed(managedOrder, step.name(), "setHeaderRoute");
    ObjectNode tree = JsonTrees.toTree(virtualService);
    ObjectNode route = null;
    if (!StringMatches.removes(step)) {
      Split source = httpSource(tree, "setHeaderRoute \"" + step.name() + "\"");
      List<HeaderMatch> headers = StringMatches.checkedHeaders(step);
      route = copyForManagedRoute(source.route(), step.name());
      ArrayNode matches = JsonTrees.NODES.arrayNode();
      for (ObjectNode match : sourceMatches(source.route())) {
        for (HeaderMatch h : headers) {
          match.withObjectProperty("headers").set(h.headerName(),
              stringMatch(h.headerValue(), "setHeaderRoute \"" + step.name() + "\" header " + h.headerName()));
        }
        matches.add(match);
      }
      route.set("match", matches);
      ObjectNode canary = JsonTrees.NODES.objectNode();
      canary.set("destination", canaryDestination(source.route()));
      route.set("route", JsonTrees.arrayOf(List.of(canary)));
    }
    setHttp(tree, ManagedRoutes.upsert(http(tree), this::managedName, step.name(), route, managedOrder));
    return JsonTrees.toResource(tree);
  }

  GenericKubernetesResource withMirrorRoute(GenericKubernetesResource virtualService, SetMirrorRoute step) {
    ManagedRoutes.requireListed(managedOrder, step.name(), "setMirrorRoute");
    ObjectNode tree = JsonTrees.toTree(virtualService);
    ObjectNode route = null;
    if (!StringMatches.removes(step)) {
      String where = "setMirrorRoute \"" + step.name() + "\"";
      Split source = httpSource(tree, where);
      int percentage = StringMatches.mirrorPercentage(step);
      route = copyForManagedRoute(source.route(), step.name());
      ArrayNode matches = JsonTrees.NODES.arrayNode();
      for (RouteMatch mirrorMatch : step.match()) {
        for (ObjectNode match : sourceMatches(source.route())) {
          matches.add(narrowed(match, mirrorMatch, where));
        }
      }
      route.set("match", matches);
      route.set("mirror", canaryDestination(source.route()));
      // an integer, as the API server stores a whole number, so a re-read compares equal
      route.putObject("mirrorPercentage").put("value", percentage);
    }
    setHttp(tree, ManagedRoutes.upsert(http(tree), this::managedName, step.name(), route, managedOrder));
    return JsonTrees.toResource(tree);
  }

  GenericKubernetesResource withoutManagedRoutes(GenericKubernetesResource virtualService) {
    ObjectNode tree = JsonTrees.toTree(virtualService);
    if (tree.path("spec").has("http")) {
      setHttp(tree, ManagedRoutes.withoutManaged(http(tree), this::managedName));
    }
    return JsonTrees.toResource(tree);
  }

  private String label(ObjectNode tree) {
    return KIND + " " + JsonTrees.name(tree);
  }

  private static List<ObjectNode> http(ObjectNode tree) {
    return JsonTrees.objects(tree.path("spec"), "http");
  }

  private static void setHttp(ObjectNode tree, List<ObjectNode> routes) {
    tree.withObjectProperty("spec").set("http", JsonTrees.arrayOf(routes));
  }

  private Optional<String> managedName(ObjectNode route) {
    String name = JsonTrees.text(route, "name");
    return name != null && managedOrder.contains(name) ? Optional.of(name) : Optional.empty();
  }

  /** The routes the spec names, each of which must exist. */
  private List<Split> splits(ObjectNode tree) {
    List<ObjectNode> userHttp = http(tree).stream().filter(r -> managedName(r).isEmpty()).toList();
    List<String> names = spec.routes() == null ? List.of() : spec.routes();
    List<TlsRoute> tls = spec.tlsRoutes() == null ? List.of() : spec.tlsRoutes();
    List<TcpRoute> tcp = spec.tcpRoutes() == null ? List.of() : spec.tcpRoutes();
    List<Split> splits = new ArrayList<>();
    if (names.isEmpty() && tls.isEmpty() && tcp.isEmpty()) {
      if (userHttp.size() != 1) {
        throw TrafficRoutingException.malformed(label(tree) + " has " + userHttp.size()
            + " http routes: name the ones to split in trafficRouting.istio.virtualService.routes");
      }
      String name = JsonTrees.text(userHttp.get(0), "name");
      return List.of(new Split(name == null ? "http route 0" : "http route \"" + name + "\"", userHttp.get(0), true));
    }
    for (String name : names) {
      ObjectNode route = userHttp.stream().filter(r -> name.equals(JsonTrees.text(r, "name"))).findFirst()
          .orElseThrow(() -> TrafficRoutingException.notFound(label(tree) + ": no http route named \"" + name + "\""));
      splits.add(new Split("http route \"" + name + "\"", route, true));
    }
    for (TlsRoute t : tls) {
      splits.add(new Split(tlsLabel(t), JsonTrees.objects(tree.path("spec"), "tls").stream()
          .filter(r -> JsonTrees.objects(r, "match").stream().anyMatch(m -> tlsMatches(m, t))).findFirst()
          .orElseThrow(() -> TrafficRoutingException.notFound(label(tree) + ": no " + tlsLabel(t))), false));
    }
    for (TcpRoute t : tcp) {
      if (t.port() == null) {
        throw TrafficRoutingException.invalidSpec("trafficRouting.istio tcpRoutes entries need a port");
      }
      String tcpLabel = "tcp route matching port " + t.port();
      splits.add(new Split(tcpLabel, JsonTrees.objects(tree.path("spec"), "tcp").stream()
          .filter(r -> JsonTrees.objects(r, "match").stream().anyMatch(m -> JsonTrees.number(m, "port", -1) == t.port()))
          .findFirst()
          .orElseThrow(() -> TrafficRoutingException.notFound(label(tree) + ": no " + tcpLabel)), false));
    }
    return splits;
  }

  private static String tlsLabel(TlsRoute t) {
    if (t.port() == null && (t.sniHosts() == null || t.sniHosts().isEmpty())) {
      throw TrafficRoutingException.invalidSpec("trafficRouting.istio tlsRoutes entries need a port or sniHosts");
    }
    return "tls route matching" + (t.port() == null ? "" : " port " + t.port())
        + (t.sniHosts() == null || t.sniHosts().isEmpty() ? "" : " sniHosts " + t.sniHosts());
  }

  private static boolean tlsMatches(ObjectNode match, TlsRoute t) {
    if (t.port() != null && JsonTrees.number(match, "port", -1) != t.port()) {
      return false;
    }
    if (t.sniHosts() == null || t.sniHosts().isEmpty()) {
      return true;
    }
    List<String> hosts = new ArrayList<>();
    match.path("sniHosts").forEach(h -> hosts.add(h.asText()));
    return hosts.containsAll(t.sniHosts());
  }

  private boolean hasBothDestinations(ObjectNode route) {
    List<ObjectNode> entries = JsonTrees.objects(route, "route");
    return entries.stream().anyMatch(e -> destinations.isCanary(e.path("destination")))
        && entries.stream().anyMatch(e -> destinations.isStable(e.path("destination")));
  }

  private void requireBothDestinations(ObjectNode tree, Split split) {
    List<ObjectNode> entries = JsonTrees.objects(split.route(), "route");
    if (entries.stream().noneMatch(e -> destinations.isCanary(e.path("destination")))) {
      throw TrafficRoutingException.malformed(label(tree) + ": " + split.label() + " has no destination with "
          + destinations.canaryLabel());
    }
    if (entries.stream().noneMatch(e -> destinations.isStable(e.path("destination")))) {
      throw TrafficRoutingException.malformed(label(tree) + ": " + split.label() + " has no destination with "
          + destinations.stableLabel());
    }
  }

  /** The first split http route: managed routes are built from it. */
  private Split httpSource(ObjectNode tree, String where) {
    for (Split s : splits(tree)) {
      if (s.http()) {
        requireBothDestinations(tree, s);
        return s;
      }
    }
    throw TrafficRoutingException.unsupported(where + ": " + label(tree)
        + " has no http route to split; header and mirror routes need one in trafficRouting.istio.virtualService.routes");
  }

  private ObjectNode canaryDestination(ObjectNode route) {
    ObjectNode destination = JsonTrees.objects(route, "route").stream()
        .filter(e -> destinations.isCanary(e.path("destination"))).findFirst().orElseThrow();
    return destination.get("destination").deepCopy();
  }

  private static ObjectNode copyForManagedRoute(ObjectNode source, String name) {
    ObjectNode route = source.deepCopy();
    MIRROR_FIELDS.forEach(route::remove);
    route.put("name", name);
    return route;
  }

  private static List<ObjectNode> sourceMatches(ObjectNode route) {
    List<ObjectNode> matches = new ArrayList<>();
    JsonTrees.objects(route, "match").forEach(m -> {
      ObjectNode copy = m.deepCopy();
      copy.remove("name");
      matches.add(copy);
    });
    if (matches.isEmpty()) {
      matches.add(JsonTrees.NODES.objectNode());
    }
    return matches;
  }

  private static ObjectNode narrowed(ObjectNode match, RouteMatch mirror, String where) {
    if (mirror == null) {
      return match;
    }
    if (mirror.method() != null) {
      match.set("method", stringMatch(mirror.method(), where + " method"));
    }
    if (mirror.path() != null) {
      match.set("uri", stringMatch(mirror.path(), where + " path"));
    }
    if (mirror.headers() != null) {
      for (Map.Entry<String, StringMatch> h : mirror.headers().entrySet()) {
        match.withObjectProperty("headers").set(h.getKey(), stringMatch(h.getValue(), where + " header " + h.getKey()));
      }
    }
    return match;
  }

  private static JsonNode stringMatch(StringMatch match, String where) {
    Checked checked = StringMatches.check(match, where);
    ObjectNode out = JsonTrees.NODES.objectNode();
    out.put(checked.type().name().toLowerCase(Locale.ROOT), checked.value());
    return out;
  }
}

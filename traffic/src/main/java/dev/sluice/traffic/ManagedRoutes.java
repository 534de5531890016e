package dev.sluice.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Header and mirror routes Sluice adds to a user's route list. They sit before the user's routes
 * (first match wins in Istio; in Gateway API rule order breaks ties), in the order of
 * trafficRouting.managedRoutes, so the first listed managed route wins.
 */
final class ManagedRoutes {
  private ManagedRoutes() {}

  /** The managed route name of a step, checked against trafficRouting.managedRoutes. */
  static String requireListed(List<String> order, String name, String step) {
    if (name == null || name.isBlank()) {
      throw TrafficRoutingException.invalidSpec(step + " needs a name listed in trafficRouting.managedRoutes");
    }
    if (!order.contains(name)) {
      throw TrafficRoutingException.invalidSpec(
          step + " \"" + name + "\" is not listed in spec.strategy.canary.trafficRouting.managedRoutes");
    }
    return name;
  }

  /**
   * The route list with managed route {@code name} set to {@code route} (or removed when null):
   * managed routes first, in managedRoutes order, then the user's routes in their own order.
   */
  static List<ObjectNode> upsert(List<ObjectNode> routes, Function<ObjectNode, Optional<String>> managedName,
      String name, ObjectNode route, List<String> order) {
    Map<String, ObjectNode> managed = new LinkedHashMap<>();
    List<ObjectNode> user = new ArrayList<>();
    for (ObjectNode r : routes) {
      Optional<String> n = managedName.apply(r);
      if (n.isPresent()) {
        managed.put(n.get(), r);
      } else {
        user.add(r);
      }
    }
    if (route == null) {
      managed.remove(name);
    } else {
      managed.put(name, route);
    }
    List<String> names = new ArrayList<>(managed.keySet());
    names.sort(Comparator.comparingInt(n -> order.contains(n) ? order.indexOf(n) : Integer.MAX_VALUE));
    List<ObjectNode> out = new ArrayList<>();
    names.forEach(n -> out.add(managed.get(n)));
    out.addAll(user);
    return out;
  }

  /** The route list without any managed route. */
  static List<ObjectNode> withoutManaged(List<ObjectNode> routes, Function<ObjectNode, Optional<String>> managedName) {
    return routes.stream().filter(r -> managedName.apply(r).isEmpty()).toList();
  }
}

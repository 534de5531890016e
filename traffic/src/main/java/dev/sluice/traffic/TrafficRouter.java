package dev.sluice.traffic;

import dev.sluice.api.v1alpha1.CanaryStep.SetHeaderRoute;
import dev.sluice.api.v1alpha1.CanaryStep.SetMirrorRoute;
import java.util.Optional;

/**
 * Moves request traffic between the canary and the stable pods through one mesh or ingress. Each
 * call reads the route objects, rewrites only the fields Sluice owns, and writes back only what
 * changed, so every call is idempotent and a user's own rules and annotations survive.
 *
 * <p>Every method throws {@link TrafficRoutingException} with a message for the Rollout's condition
 * when the route objects are missing or do not fit the spec; the caller waits rather than guesses.
 */
public interface TrafficRouter {

  /** What this router drives, for messages: {@code "Gateway API"}, {@code "Istio"}, ... */
  String name();

  /**
   * Sends {@code canaryWeight} (out of {@link RouterContext#maxTrafficWeight()}) of the traffic to
   * the canary and the rest to the stable.
   */
  void setWeight(RouterContext ctx, int canaryWeight);

  /**
   * Adds or replaces the managed route {@code route.name()} that sends requests whose headers match
   * to the canary; a route without matches removes it. The name must be listed in managedRoutes,
   * whose order decides which managed route wins.
   */
  void setHeaderRoute(RouterContext ctx, SetHeaderRoute route);

  /**
   * Adds or replaces the managed route {@code route.name()} that copies matching requests to the
   * canary (responses still come from the normal backends); a route without matches removes it.
   */
  void setMirrorRoute(RouterContext ctx, SetMirrorRoute route);

  /** Removes every header and mirror route Sluice added: at the end of a rollout or on abort. */
  void removeManagedRoutes(RouterContext ctx);

  /**
   * The canary weight actually in place (out of {@link RouterContext#maxTrafficWeight()}); empty
   * when it cannot be told (no TrafficSplit yet, a weight annotation that is not a number) or the
   * route objects disagree with each other.
   */
  Optional<Integer> currentWeight(RouterContext ctx);
}

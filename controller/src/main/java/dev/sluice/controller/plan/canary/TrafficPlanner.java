package dev.sluice.controller.plan.canary;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.controller.plan.Action;
import dev.sluice.controller.plan.Action.RemoveManagedRoutes;
import dev.sluice.controller.plan.Action.SetHeaderRoute;
import dev.sluice.controller.plan.Action.SetMirrorRoute;
import dev.sluice.controller.plan.Action.SetTrafficWeight;
import dev.sluice.controller.plan.Context;
import dev.sluice.controller.plan.DelayedScaleDown;
import dev.sluice.controller.plan.Effects;
import dev.sluice.controller.plan.RolloutState;
import dev.sluice.controller.plan.Targets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * With a traffic router, once the progression has decided where the rollout stands and where pods
 * should go: which pods the canary's traffic goes to, the weight to put in place now (as
 * {@link CanaryWeight} allows it), the managed routes to set or remove, and the pods that must stay
 * for the traffic they carry. The safety rules live here and in {@link CanaryWeight}, so no router
 * can break them:
 * <ul>
 *   <li>the weight rises only once the canary has the available pods that weight needs;
 *   <li>the canary's traffic moves to other pods (new template, abort, promotion) only while it is 0;
 *   <li>a ReplicaSet keeps its pods while it carries canary traffic: on abort or a new template
 *       the weight goes to 0 first, and only then may the old canary's pods go;
 *   <li>with dynamicStableScale the stable keeps the pods its share needs, and grows (and becomes
 *       available) before traffic comes back to it.
 * </ul>
 * The weight is confirmed by observing it, never assumed: a step waits until the router reports
 * it, so after setting a weight the plan asks to look again shortly.
 */
public final class TrafficPlanner {
  /** How soon to read the weight back after setting it (route objects are not watched). */
  public static final Duration CONFIRM_AFTER = Duration.ofMillis(250);

  /**
   * @param traffic the traffic with the pods the canary's share goes to after this plan
   * @param effects a look again at a weight just set, or when a delayed old stable's pods may go
   */
  record Result(List<Action> actions, Targets targets, CanaryTraffic traffic, Effects effects) {}

  private final Context ctx;
  private final RolloutState state;
  private final CanaryTraffic traffic;
  private final CanaryWeight weight;
  private final List<CanaryStep> routeSteps;
  /** The stable a promotion replaced in this plan; null when none. */
  private final String replacedStable;
  private final RoutingSettings routing;
  private final String desired;

  private TrafficPlanner(Context ctx, RolloutState state, CanaryTraffic traffic, List<CanaryStep> routeSteps,
      String replacedStable) {
    this.ctx = ctx;
    this.state = state;
    this.traffic = traffic;
    this.weight = new CanaryWeight(ctx, traffic);
    this.routeSteps = routeSteps;
    this.replacedStable = replacedStable;
    this.routing = ctx.settings().routing().orElseThrow();
    this.desired = ctx.desiredHash();
  }

  /**
   * @param routeSteps the setHeaderRoute/setMirrorRoute steps the walk reached in this plan, in order
   * @param removeRoutes this plan passed a transition (completion, abort, an attempt dropped) that removes every managed route
   * @param replacedStable the stable a promotion replaced in this plan ({@code Effects#replacedStable}); null when none
   */
  static Result plan(Context ctx, RolloutState state, CanaryTraffic traffic, List<CanaryStep> routeSteps,
      boolean removeRoutes, Targets targets, String replacedStable) {
    CanaryTraffic moved = trafficAfter(ctx, state, traffic, targets.frozen());
    return new TrafficPlanner(ctx, state, moved, routeSteps, replacedStable).plan(targets, destination(ctx, state), removeRoutes);
  }

  /** Where the canary's traffic belongs: the live update's pods, else the stable's. */
  private static String destination(Context ctx, RolloutState state) {
    return state.liveUpdate(ctx.desiredHash()) ? ctx.desiredHash() : state.stableRS();
  }

  private Result plan(Targets targets, String destination, boolean removeRoutes) {
    List<Action> actions = new ArrayList<>();
    String canary = traffic.hash();
    String stable = state.stableRS();
    if (removeRoutes && routing.managedRoutes()) {
      actions.add(new RemoveManagedRoutes(canary, stable));
    }
    for (CanaryStep step : routeSteps) {
      actions.add(step.setHeaderRoute() != null
          ? new SetHeaderRoute(step.setHeaderRoute(), canary, stable)
          : new SetMirrorRoute(step.setMirrorRoute(), canary, stable));
    }
    if (targets.frozen()) {
      return new Result(actions, targets, traffic, Effects.NONE);
    }
    int goal = weight.goal(state, destination);
    int next = weight.allowedNow(state, goal, targets.of(desired));
    Effects said = Effects.NONE;
    if (traffic.weightSeen().isEmpty() || traffic.weightSeen().get() != next) {
      actions.add(new SetTrafficWeight(next, canary, stable));
      said = Effects.wakeAt(ctx.now().plus(CONFIRM_AFTER));
    }
    Map<String, Integer> pods = new HashMap<>(targets.byHash());
    keepPodsForTraffic(pods, goal);
    DelayedScaleDown.Kept kept = DelayedScaleDown.keepOldStables(ctx, state, replacedStable,
        new Targets(pods, false, targets.createDesired()), routing.scaleDownDelay(), routing.scaleDownDelayRevisionLimit());
    actions.addAll(kept.actions());
    return new Result(actions, kept.targets(), traffic, said.plus(kept.effects()));
  }

  /**
   * The traffic after this plan: the canary's traffic follows the canary (or goes back to the
   * stable) only while there is none.
   *
   * @param frozen the pods stay as they are (spec.paused)
   */
  static CanaryTraffic trafficAfter(Context ctx, RolloutState state, CanaryTraffic traffic, boolean frozen) {
    String destination = destination(ctx, state);
    if (traffic.hash() == null) {
      return traffic.movedTo(destination);
    }
    if (!frozen && !destination.equals(traffic.hash()) && traffic.none() && ctx.available(destination) > 0) {
      return traffic.movedTo(destination);
    }
    return traffic;
  }

  /**
   * Pods that carry traffic stay: an old or aborted canary keeps all its pods while any canary
   * traffic may still reach it (the live canary's own count already follows the weight in place);
   * with dynamicStableScale the stable keeps what its share needs now and at the weight it is
   * heading for.
   */
  private void keepPodsForTraffic(Map<String, Integer> pods, int goal) {
    String holder = traffic.hash();
    boolean carries = traffic.weightSeen().isEmpty() || traffic.weightInPlace() > 0;
    boolean liveCanary = desired.equals(holder) && state.liveUpdate(desired);
    if (holder != null && carries && !liveCanary && ctx.replicaSet(holder).isPresent()) {
      pods.merge(holder, ctx.specReplicas(holder), Math::max);
    }
    if (routing.dynamicStableScale() && state.stableRS() != null) {
      int stable = Math.max(routing.stablePodsFor(ctx.replicas(), traffic.weightInPlace()),
          routing.stablePodsFor(ctx.replicas(), goal));
      pods.merge(state.stableRS(), stable, Math::max);
    }
  }
}

package dev.sluice.controller.plan.canary;

import dev.sluice.controller.plan.Action;
import dev.sluice.controller.plan.Context;
import dev.sluice.controller.plan.RolloutState;
import dev.sluice.controller.plan.ServicePinning;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Points canaryService at the canary pods and stableService at the stable pods (both at the stable
 * when there is no update, or it was aborted), each only once its ReplicaSet has available pods.
 * With a router the canaryService follows the pods the canary's traffic goes to, which only move
 * while that traffic is 0.
 */
final class CanaryServices {
  private CanaryServices() {}

  /** The first referenced Service that does not exist, as a message; the rollout waits for it. */
  static Optional<String> missingService(Context ctx) {
    return ServicePinning.firstMissing(ctx, "spec.strategy.canary.canaryService", ctx.settings().canaryService(),
        "spec.strategy.canary.stableService", ctx.settings().stableService());
  }

  static List<Action> pins(Context ctx, RolloutState state, CanaryTraffic traffic) {
    String canaryHash = canaryHash(ctx, state, traffic);
    List<Action> actions = new ArrayList<>();
    ctx.settings().canaryService().ifPresent(name -> ServicePinning.pin(ctx, name, canaryHash).ifPresent(actions::add));
    ctx.settings().stableService().ifPresent(name -> ServicePinning.pin(ctx, name, state.stableRS()).ifPresent(actions::add));
    return actions;
  }

  private static String canaryHash(Context ctx, RolloutState state, CanaryTraffic traffic) {
    if (ctx.settings().routed() && traffic.hash() != null) {
      return traffic.hash();
    }
    return state.liveUpdate(ctx.desiredHash()) ? ctx.desiredHash() : state.stableRS();
  }
}

package dev.sluice.controller.plan;

import dev.sluice.api.SluiceLabels;
import dev.sluice.controller.plan.Action.PinServiceSelector;
import dev.sluice.controller.plan.Observed.ObservedService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Points canaryService at the canary pods and stableService at the stable pods (both at the stable
 * when there is no update, or it was aborted), each only once its ReplicaSet has available pods.
 * With a router the canaryService follows the pods the canary's traffic goes to, which only move
 * while that traffic is 0.
 */
final class ServicePinning {
  private ServicePinning() {}

  /** The first referenced Service that does not exist, as a message; the rollout waits for it. */
  static Optional<String> missingService(Context ctx) {
    return firstMissing(ctx, "spec.strategy.canary.canaryService", ctx.settings().canaryService(),
        "spec.strategy.canary.stableService", ctx.settings().stableService());
  }

  /** Of two optional Services, each with the field that names it, the first that does not exist, as a message. */
  static Optional<String> firstMissing(Context ctx, String firstField, Optional<String> first, String secondField,
      Optional<String> second) {
    Map<String, ObservedService> services = services(ctx);
    if (first.isPresent() && !services.containsKey(first.get())) {
      return Optional.of(missing(first.get(), firstField));
    }
    if (second.isPresent() && !services.containsKey(second.get())) {
      return Optional.of(missing(second.get(), secondField));
    }
    return Optional.empty();
  }

  private static String missing(String name, String field) {
    return "Service \"" + name + "\" (" + field + ") not found: waiting for it to be created";
  }

  static List<Action> pins(Context ctx, RolloutState state) {
    String canaryHash = canaryHash(ctx, state);
    List<Action> actions = new ArrayList<>();
    ctx.settings().canaryService().ifPresent(name -> pin(ctx, name, canaryHash).ifPresent(actions::add));
    ctx.settings().stableService().ifPresent(name -> pin(ctx, name, state.stableRS).ifPresent(actions::add));
    return actions;
  }

  private static String canaryHash(Context ctx, RolloutState state) {
    if (ctx.settings().routed() && state.trafficHash != null) {
      return state.trafficHash;
    }
    boolean canaryLive = !ctx.desiredHash().equals(state.stableRS) && !state.abort;
    return canaryLive ? ctx.desiredHash() : state.stableRS;
  }

  /** Point {@code serviceName} at {@code hash} once that ReplicaSet has available pods, unless it already is. */
  static Optional<Action> pin(Context ctx, String serviceName, String hash) {
    ObservedService service = services(ctx).get(serviceName);
    if (service == null || ctx.available(hash) == 0) {
      return Optional.empty();
    }
    Map<String, String> selector = service.selector() == null ? Map.of() : service.selector();
    return hash.equals(selector.get(SluiceLabels.POD_TEMPLATE_HASH))
        ? Optional.empty()
        : Optional.of(new PinServiceSelector(serviceName, hash));
  }

  private static Map<String, ObservedService> services(Context ctx) {
    return ctx.observed().services() == null ? Map.of() : ctx.observed().services();
  }
}

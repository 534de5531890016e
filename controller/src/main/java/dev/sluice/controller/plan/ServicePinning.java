package dev.sluice.controller.plan;

import dev.sluice.api.SluiceLabels;
import dev.sluice.controller.plan.Action.PinServiceSelector;
import dev.sluice.controller.plan.Observed.ObservedService;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Points a strategy's Services at ReplicaSets: a Service's selector moves to a hash only once that
 * ReplicaSet has available pods, and only when it selects something else.
 */
public final class ServicePinning {
  private ServicePinning() {}

  /** Of two optional Services, each with the field that names it, the first that does not exist, as a message. */
  public static Optional<String> firstMissing(Context ctx, String firstField, Optional<String> first, String secondField,
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

  /** Point {@code serviceName} at {@code hash} once that ReplicaSet has available pods, unless it already is. */
  public static Optional<Action> pin(Context ctx, String serviceName, String hash) {
    ObservedService service = services(ctx).get(serviceName);
    if (service == null || ctx.available(hash) == 0) {
      return Optional.empty();
    }
    Map<String, String> selector = service.selector() == null ? Map.of() : service.selector();
    return hash.equals(selector.get(SluiceLabels.POD_TEMPLATE_HASH))
        ? Optional.empty()
        : Optional.of(new PinServiceSelector(serviceName, hash));
  }

  /**
   * {@code plan}, coming back at once when it pins a Service. The informer is told of the pin, so
   * the pin's own watch event wakes no reconcile, and what waits for a Service to select the new pods
   * (blue-green's switch of the active Service waits for the preview's) is planned only by a plan
   * that sees it: without this, such a rollout waited for some other event, and when its pods had
   * all come before the pin, none came (a blue-green rollout stayed on the preview for 90 s in an
   * e2e run, until the test gave up).
   */
  public static Plan comeBackAfterPin(Plan plan) {
    if (plan.actions().stream().noneMatch(PinServiceSelector.class::isInstance)) {
      return plan;
    }
    return new Plan(plan.status(), plan.actions(), plan.events(), Optional.of(Duration.ZERO));
  }

  private static Map<String, ObservedService> services(Context ctx) {
    return ctx.observed().services() == null ? Map.of() : ctx.observed().services();
  }
}

package dev.sluice.controller.rollout;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.controller.KubernetesEvents;
import dev.sluice.traffic.RouterContext;
import dev.sluice.traffic.TrafficRouter;
import dev.sluice.traffic.TrafficRoutingException;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * What a Rollout being deleted gives back in objects it does not own, before its finalizer goes:
 * the route objects send all traffic to the stable again and lose the header and mirror routes
 * Sluice added, and the canary and stable Services lose the {@code sluice.dev/pod-template-hash}
 * selector entry. What the Rollout owns (ReplicaSets, AnalysisRuns, a TrafficSplit or canary
 * Ingress it created) is the garbage collector's, or stays when deleted with {@code --cascade=orphan}.
 *
 * <p>A route object that is gone or no longer fits is not waited for (the Rollout would never go):
 * it is reported in an event and the log, for a person to fix by hand. A transient failure (a
 * conflict, the API server unreachable) is thrown, so the release is retried.
 */
final class RolloutRelease {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final Logger log;

  RolloutRelease(KubernetesClient client, Logger log) {
    this.client = client;
    this.log = log;
  }

  void release(Rollout rollout, Optional<TrafficRouter> router, Instant now) {
    var meta = rollout.getMetadata();
    String who = meta.getNamespace() + "/" + meta.getName();
    List<KubernetesEvents.Transition> events = new ArrayList<>();
    router.ifPresent(r -> {
      String stable = rollout.getStatus() == null ? null : rollout.getStatus().stableRS();
      RouterContext ctx = RouterContext.of(rollout, stable, stable);
      try {
        r.setWeight(ctx, 0);
        r.removeManagedRoutes(ctx);
        log.info("{} deleted: {} traffic back to the stable, managed routes removed", who, r.name());
      } catch (TrafficRoutingException e) {
        if (e.retryable() || e.reason() == TrafficRoutingException.Reason.CONFLICT) {
          throw e;
        }
        String message = "could not give the " + r.name() + " route objects back on deletion (fix them by hand): " + e.getMessage();
        log.warn("{} {}", who, message);
        events.add(new KubernetesEvents.Transition(KubernetesEvents.Type.Warning, "TrafficNotReleased", message));
      }
    });
    ReferencedServices.pinned(rollout).forEach(name -> unpin(meta.getNamespace(), name, who));
    new KubernetesEvents(client, log).record(rollout, events, now);
  }

  private void unpin(String namespace, String name, String who) {
    var resource = client.services().inNamespace(namespace).withName(name);
    Service service = resource.get();
    if (service == null || service.getSpec().getSelector() == null
        || !service.getSpec().getSelector().containsKey(SluiceLabels.POD_TEMPLATE_HASH)) {
      return;
    }
    // by the object just read: a patch by name would GET it again first
    client.services().inNamespace(namespace).resource(service)
        .patch(MERGE, "{\"spec\":{\"selector\":{\"%s\":null}}}".formatted(SluiceLabels.POD_TEMPLATE_HASH));
    log.info("{} deleted: Service {} no longer selects by {}", who, name, SluiceLabels.POD_TEMPLATE_HASH);
  }
}

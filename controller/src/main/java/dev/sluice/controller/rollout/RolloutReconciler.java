package dev.sluice.controller.rollout;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.controller.plan.Observed;
import dev.sluice.controller.plan.Plan;
import dev.sluice.controller.plan.RolloutPlanner;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One reconcile: observe (caches, no writes), plan (pure), apply (actions in order, then status
 * only if it changed, then events), and come back at the plan's next deadline.
 */
// status-only changes (promote, abort, retry are status patches) must wake the controller too
@ControllerConfiguration(name = "rollout", generationAwareEventProcessing = false)
@GradualRetry(initialInterval = 250, intervalMultiplier = 2, maxInterval = 10_000, maxAttempts = 1_000_000)
public final class RolloutReconciler implements Reconciler<Rollout> {
  private final Clock clock;
  private final RolloutPlanner planner = new RolloutPlanner();
  private InformerEventSource<ReplicaSet, Rollout> replicaSets;

  public RolloutReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Rollout>> prepareEventSources(EventSourceContext<Rollout> context) {
    // only ReplicaSets that carry Sluice's hash label: the controller never caches the cluster's others
    replicaSets = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ReplicaSet.class, Rollout.class)
            .withLabelSelector(SluiceLabels.POD_TEMPLATE_HASH)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Rollout.class, false))
            .build(),
        context);
    return List.of(replicaSets);
  }

  @Override
  public UpdateControl<Rollout> reconcile(Rollout rollout, Context<Rollout> context) {
    var client = context.getClient();
    Instant now = clock.instant();
    Observed observed = new RolloutObserver(client).observe(rollout, context.getSecondaryResources(ReplicaSet.class));
    Plan plan = planner.plan(observed, now);

    new RolloutApplier(client, replicaSets).apply(rollout, plan.actions());
    if (!Objects.equals(plan.status(), rollout.getStatus())) {
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(rollout, context, r -> {
        r.setStatus(plan.status());
        return r;
      });
    }
    var events = new RolloutEventRecorder(client);
    for (int i = 0; i < plan.events().size(); i++) {
      events.record(rollout, plan.events().get(i), now.plusNanos(i * 1_000L)); // keeps their order when sorted by time
    }

    UpdateControl<Rollout> control = UpdateControl.noUpdate();
    return plan.requeueAfter().map(control::rescheduleAfter).orElse(control);
  }
}

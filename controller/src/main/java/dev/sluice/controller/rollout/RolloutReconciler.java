package dev.sluice.controller.rollout;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisTemplate;
import dev.sluice.api.v1alpha1.ClusterAnalysisTemplate;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.controller.CachedObjects;
import dev.sluice.controller.KubernetesEvents;
import dev.sluice.controller.OwnStatusWrites;
import dev.sluice.controller.StatusWrites;
import dev.sluice.controller.WakeUp;
import dev.sluice.controller.notifications.Notifier;
import dev.sluice.controller.plan.Observed;
import dev.sluice.controller.plan.Observed.ObservedTemplates;
import dev.sluice.controller.plan.PauseDeadline;
import dev.sluice.controller.plan.PauseEnding;
import dev.sluice.controller.plan.Plan;
import dev.sluice.controller.plan.RolloutAnalysisLabels;
import dev.sluice.controller.plan.RolloutPlanner;
import dev.sluice.controller.plan.ServicePinning;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import dev.sluice.controller.plan.TrafficObservation;
import dev.sluice.controller.serialization.UnreadableResources;
import dev.sluice.traffic.TrafficRouter;
import dev.sluice.traffic.TrafficRouters;
import dev.sluice.traffic.TrafficRoutingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reconcile: observe (caches, no writes), plan (pure), apply (actions in order), again while
 * the actions were ReplicaSet changes the caches show at once ({@link Replanning}), then the status
 * only if it changed (one write), then events, and come back at the plan's next deadline (at once
 * after a timed pause left by its status alone, {@link PauseEnding}). A route object that
 * cannot be written stops the actions there: the rollout is planned again with that problem, so
 * its status says what to fix and nothing more moves (a write conflict is simply retried).
 *
 * <p>Deleting a Rollout first gives back what it changed in objects it does not own ({@link
 * RolloutRelease}); the finalizer {@value #FINALIZER} holds it until that is done.
 *
 * <p>Informers wake a rollout when one of its ReplicaSets or AnalysisRuns changes (a run's phase),
 * and when an analysis template it names is created, changed or deleted (so a rollout waiting for a
 * missing template goes on as soon as it exists), and when a Service it names appears or changes.
 * Templates are read from those caches, never fetched.
 */
// status-only changes (promote, abort, retry are status patches) must wake the controller too
@ControllerConfiguration(name = "rollout", generationAwareEventProcessing = false, finalizerName = RolloutReconciler.FINALIZER)
// at most 1 s between tries: a pause that ended while the API server was unreachable goes on within
// a second of it coming back
@GradualRetry(initialInterval = 250, intervalMultiplier = 2, maxInterval = 1_000, maxAttempts = 1_000_000)
public final class RolloutReconciler implements Reconciler<Rollout>, Cleaner<Rollout> {
  /** Held while a Rollout exists, so that deleting it gives back what it changed (see {@link RolloutRelease}). */
  public static final String FINALIZER = "sluice.dev/release";
  private static final Logger log = LoggerFactory.getLogger("dev.sluice.rollout");
  private static final Duration CONFLICT_RETRY = Duration.ofMillis(200);
  private final Clock clock;
  private final Notifier notifier;
  private final OwnStatusWrites ownWrites;
  private final Consumer<Duration> pauseEnds;
  private final OwnReplicaSetPatches ownPatches = new OwnReplicaSetPatches();
  private final RolloutPlanner planner = new RolloutPlanner();
  private InformerEventSource<ReplicaSet, Rollout> replicaSets;
  private InformerEventSource<AnalysisRun, Rollout> analysisRuns;
  private InformerEventSource<AnalysisTemplate, Rollout> templates;
  private InformerEventSource<ClusterAnalysisTemplate, Rollout> clusterTemplates;
  private InformerEventSource<Deployment, Rollout> deployments;
  private static final String WORKLOAD_REF_INDEX = "workloadRef";
  private InformerEventSource<Service, Rollout> services;

  /**
   * @param ownWrites where the status writes are recorded, whose watch events then wake no reconcile
   * @param pauseEnds told how late each timed pause ended, once the status that leaves it is written
   */
  public RolloutReconciler(Clock clock, Notifier notifier, OwnStatusWrites ownWrites, Consumer<Duration> pauseEnds) {
    this.clock = clock;
    this.notifier = notifier;
    this.ownWrites = ownWrites;
    this.pauseEnds = pauseEnds;
  }

  @Override
  public List<EventSource<?, Rollout>> prepareEventSources(EventSourceContext<Rollout> context) {
    // only ReplicaSets that carry Sluice's hash label: the controller never caches the cluster's others
    replicaSets = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ReplicaSet.class, Rollout.class)
            .withLabelSelector(SluiceLabels.POD_TEMPLATE_HASH)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Rollout.class, false))
            // its own patches coming back before their reply: the reconcile that sent them plans on with what they carry
            .withOnUpdateFilter((now, old) -> !ownPatches.isOwn(now) && RolloutObserver.plannerSees(old, now))
            .withItemStore(CachedObjects.replicaSetStore())
            .build(),
        context);
    // only runs a rollout created (they carry its name); mapped back by owner reference
    analysisRuns = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(AnalysisRun.class, Rollout.class)
            .withLabelSelector(RolloutAnalysisLabels.ROLLOUT)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(Rollout.class, false))
            .withItemStore(CachedObjects.store())
            .build(),
        context);
    IndexerResourceCache<Rollout> rollouts = context.getPrimaryCache();
    templates = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(AnalysisTemplate.class, Rollout.class)
            .withSecondaryToPrimaryMapper(t -> referring(rollouts.list(t.getMetadata().getNamespace(),
                r -> ReferencedTemplates.refersTo(r, t.getMetadata().getName(), false))))
            .withItemStore(CachedObjects.store())
            .build(),
        context);
    clusterTemplates = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ClusterAnalysisTemplate.class, Rollout.class)
            .withWatchAllNamespaces()
            .withFollowControllerNamespacesChanges(false)
            .withSecondaryToPrimaryMapper(t -> referring(rollouts.list(
                r -> ReferencedTemplates.refersTo(r, t.getMetadata().getName(), true))))
            .withItemStore(CachedObjects.store())
            .build(),
        context);
    // a Service created or changed after its Rollout wakes the Rollouts that name it (no other Service does)
    services = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Service.class, Rollout.class)
            .withSecondaryToPrimaryMapper(svc -> referring(rollouts.list(svc.getMetadata().getNamespace(),
                r -> ReferencedServices.of(r).contains(svc.getMetadata().getName()))))
            .withItemStore(CachedObjects.store())
            .build(),
        context);
    // a Deployment a workloadRef names wakes its Rollouts when it appears, changes (a new template
    // starts an update) or goes; Rollouts are found through an index on namespace/workloadRef.name
    rollouts.addIndexer(WORKLOAD_REF_INDEX, WorkloadRefIndex::keys);
    deployments = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Deployment.class, Rollout.class)
            .withItemStore(CachedObjects.deploymentStore())
            // its status changing (its pods coming and going) matters to no rollout: only spec changes wake
            .withOnUpdateFilter((d, old) -> !Objects.equals(d.getMetadata().getGeneration(), old.getMetadata().getGeneration()))
            .withSecondaryToPrimaryMapper(d -> referring(rollouts.byIndex(WORKLOAD_REF_INDEX,
                WorkloadRefIndex.key(d.getMetadata().getNamespace(), d.getMetadata().getName())).stream()))
            .build(),
        context);
    return List.of(replicaSets, analysisRuns, templates, clusterTemplates, services, deployments);
  }

  /** The Deployment a rollout's workloadRef names, from the informer cache; empty without one. */
  private Optional<Deployment> workloadOf(Rollout rollout) {
    var ref = rollout.getSpec() == null ? null : rollout.getSpec().workloadRef();
    if (ref == null || ref.name() == null) {
      return Optional.empty();
    }
    return deployments.get(new ResourceID(ref.name(), rollout.getMetadata().getNamespace()));
  }

  private static Set<ResourceID> referring(Stream<Rollout> rollouts) {
    return rollouts.map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** From the cache, which also has the controller's own pins (see {@link RolloutApplier}) before the watch brings them. */
  private Optional<Service> service(String namespace, String name) {
    return services.get(new ResourceID(name, namespace));
  }

  private ObservedTemplates templatesOf(Rollout rollout) {
    String namespace = rollout.getMetadata().getNamespace();
    return ReferencedTemplates.of(rollout,
        name -> templates.get(new ResourceID(name, namespace)).map(AnalysisTemplate::getSpec),
        name -> clusterTemplates.get(new ResourceID(name)).map(ClusterAnalysisTemplate::getSpec));
  }

  @Override
  public UpdateControl<Rollout> reconcile(Rollout rollout, Context<Rollout> context) {
    var client = context.getClient();
    Instant now = clock.instant();
    Optional<String> unreadable = UnreadableResources.problem(rollout);
    if (unreadable.isPresent()) {
      UnreadableResources.report(rollout, unreadable.get(), client, log, now);
      return UpdateControl.noUpdate();
    }
    // route objects are read only for a spec the planner accepts: an invalid one touches nothing
    Optional<TrafficRouter> router = RolloutPlanner.specProblem(rollout.getSpec()).isEmpty()
        ? TrafficRouters.forRollout(client, rollout) : Optional.empty();
    Optional<Deployment> workload = workloadOf(rollout);
    PodTemplateSpec podTemplate = RolloutObserver.podTemplate(rollout, workload);
    // the caches are read again in each pass: they show what the previous one created and scaled; the
    // route objects, which those passes leave alone, are read once
    RolloutObserver observer = new RolloutObserver(client, this::service);
    Optional<RolloutObserver.WeightReading> weight = router.map(RolloutObserver.WeightReading::new);
    Optional<Plan> applied = Replanning.fold(rollout, current -> apply(current,
        observer.observe(current, context.getSecondaryResources(ReplicaSet.class), weight,
            context.getSecondaryResources(AnalysisRun.class), templatesOf(current), workload),
        podTemplate, router, now, client), CONFLICT_RETRY);
    if (applied.isEmpty()) {
      return UpdateControl.<Rollout>noUpdate().rescheduleAfter(CONFLICT_RETRY);
    }
    Plan plan = applied.get();
    // before the status write, which changes rollout; sent only once the status is written (see Notifier)
    Notifier.Pending notices = notifier.prepare(rollout, plan);
    RolloutStatus plannedFrom = rollout.getStatus();
    if (!Objects.equals(plan.status(), plannedFrom)) {
      ownWrites.writing(rollout, plan.status());
      try {
        ownWrites.wrote(StatusWrites.replace(rollout, context, plannedFrom, plan.status()));
      } catch (RuntimeException e) {
        ownWrites.failed(rollout);
        throw e;
      }
      PauseDeadline.endedLate(rollout.getSpec(), plannedFrom, plan.status(), clock.instant()).ifPresent(pauseEnds);
    }
    new KubernetesEvents(client, log).record(rollout, plan.events().stream()
        .map(e -> new KubernetesEvents.Transition(KubernetesEvents.Type.valueOf(e.type().name()), e.reason(), e.message(), e.routine()))
        .toList(), now);
    notifier.send(notices);

    UpdateControl<Rollout> control = UpdateControl.noUpdate();
    return plan.requeueAfter().map(after -> control.rescheduleAfter(WakeUp.millisUntil(now.plus(after), clock.instant())))
        .orElse(control);
  }

  /**
   * The Rollout is being deleted: give back what it changed in Services and route objects, then
   * let the finalizer go (a transient failure is thrown and retried).
   */
  @Override
  public DeleteControl cleanup(Rollout rollout, Context<Rollout> context) {
    var client = context.getClient();
    Optional<TrafficRouter> router = RolloutPlanner.specProblem(rollout.getSpec()).isEmpty()
        ? TrafficRouters.forRollout(client, rollout) : Optional.empty();
    new RolloutRelease(client, log).release(rollout, router, clock.instant());
    ownWrites.forget(rollout);
    return DeleteControl.defaultDelete();
  }

  /**
   * Plans and carries out the actions. When a route object cannot be written the rest waits: the
   * rollout is planned again with that problem (a status saying what to fix, no actions); so it is
   * when the API server refuses a ReplicaSet or AnalysisRun the plan creates. Empty
   * when someone else changed a route object meanwhile: just try again shortly.
   */
  private Optional<Plan> apply(Rollout rollout, Observed observed, PodTemplateSpec podTemplate, Optional<TrafficRouter> router,
      Instant now, KubernetesClient client) {
    Plan plan = PauseEnding.statusFirst(observed, planner.plan(observed, now), now);
    try {
      new RolloutApplier(client, replicaSets, services, router, Optional.of(analysisRuns), ownPatches).apply(rollout, podTemplate, plan.actions());
      return Optional.of(ServicePinning.comeBackAfterPin(plan));
    } catch (NameTakenException e) {
      var meta = rollout.getMetadata();
      log.warn("{}/{} {}: {}", meta.getNamespace(), meta.getName(), NameTakenException.REASON, e.getMessage());
      return Optional.of(planner.blocked(observed, NameTakenException.REASON, e.getMessage(), now));
    } catch (TrafficRoutingException e) {
      var meta = rollout.getMetadata();
      if (e.reason() == TrafficRoutingException.Reason.CONFLICT) {
        log.info("{}/{}: {}", meta.getNamespace(), meta.getName(), e.getMessage());
        return Optional.empty();
      }
      log.warn("{}/{} {}: {}", meta.getNamespace(), meta.getName(), e.reason().conditionReason(), e.getMessage());
      return Optional.of(planner.plan(observed.withTraffic(
          TrafficObservation.failed(e.reason().conditionReason(), e.getMessage(), e.retryable())), now));
    } catch (RefusedCreateException e) {
      var meta = rollout.getMetadata();
      log.warn("{}/{}: {}", meta.getNamespace(), meta.getName(), e.getMessage());
      return Optional.of(planner.refused(observed, e.refusal(), now));
    }
  }
}

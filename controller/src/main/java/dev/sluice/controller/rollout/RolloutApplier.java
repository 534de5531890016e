package dev.sluice.controller.rollout;

import dev.sluice.api.Ownership;
import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.controller.plan.Action;
import dev.sluice.controller.plan.Action.CreateAnalysisRun;
import dev.sluice.controller.plan.Action.CreateReplicaSet;
import dev.sluice.controller.plan.Action.DeleteAnalysisRun;
import dev.sluice.controller.plan.Action.DeletePod;
import dev.sluice.controller.plan.Action.DeleteReplicaSet;
import dev.sluice.controller.plan.Action.PinServiceSelector;
import dev.sluice.controller.plan.Action.RemoveManagedRoutes;
import dev.sluice.controller.plan.Action.ScaleDeployment;
import dev.sluice.controller.plan.Action.ScaleReplicaSet;
import dev.sluice.controller.plan.Action.SetHeaderRoute;
import dev.sluice.controller.plan.Action.SetMirrorRoute;
import dev.sluice.controller.plan.Action.SetRevision;
import dev.sluice.controller.plan.Action.SetPodMetadata;
import dev.sluice.controller.plan.Action.SetScaleDownDeadline;
import dev.sluice.controller.plan.Action.SetTemplateAntiAffinity;
import dev.sluice.controller.plan.Action.SetTemplateRole;
import dev.sluice.controller.plan.Action.SetTrafficWeight;
import dev.sluice.controller.plan.Action.TerminateAnalysisRun;
import dev.sluice.controller.plan.Action.TrafficAction;
import dev.sluice.controller.plan.RefusedCreate;
import dev.sluice.traffic.RouterContext;
import dev.sluice.traffic.TrafficRouter;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a plan's actions in order. Each one is idempotent (creating what exists or deleting
 * what is gone is fine), so a reconcile interrupted half-way is simply planned and applied again.
 * Traffic actions go through the rollout's router, which throws
 * {@link dev.sluice.traffic.TrafficRoutingException} when a route object is missing or does not fit;
 * a ReplicaSet or AnalysisRun to create whose name another owner's object has throws
 * {@link NameTakenException}, and that object is not touched.
 */
public final class RolloutApplier {
  private static final Logger log = LoggerFactory.getLogger("dev.sluice.rollout");
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final InformerEventSource<ReplicaSet, Rollout> replicaSets;
  private final InformerEventSource<Service, Rollout> services;
  private final Optional<TrafficRouter> router;
  private final Optional<InformerEventSource<AnalysisRun, Rollout>> analysisRuns;
  private final OwnReplicaSetPatches ownPatches;

  /**
   * @param analysisRuns the informer the rollout's runs are read from, told at once about runs written here
   * @param ownPatches where the ReplicaSet patches in flight are told, whose events then wake nothing
   */
  RolloutApplier(KubernetesClient client, InformerEventSource<ReplicaSet, Rollout> replicaSets,
      InformerEventSource<Service, Rollout> services, Optional<TrafficRouter> router,
      Optional<InformerEventSource<AnalysisRun, Rollout>> analysisRuns, OwnReplicaSetPatches ownPatches) {
    this.ownPatches = ownPatches;
    this.client = client;
    this.replicaSets = replicaSets;
    this.services = services;
    this.router = router;
    this.analysisRuns = analysisRuns;
  }

  /** @param podTemplate the rollout's pod template (see {@link RolloutObserver#podTemplate}), for a ReplicaSet to create */
  public void apply(Rollout rollout, PodTemplateSpec podTemplate, List<Action> actions) {
    for (Action action : actions) {
      if (action instanceof CreateReplicaSet create) {
        create(rollout, podTemplate, create);
      } else if (action instanceof ScaleReplicaSet scale) {
        patchReplicaSet(rollout, scale.name(), "{\"spec\":{\"replicas\":%d}}".formatted(scale.replicas()),
            rs -> new ReplicaSetBuilder(rs).editSpec().withReplicas(scale.replicas()).endSpec().build());
      } else if (action instanceof SetRevision rev) {
        patchReplicaSet(rollout, rev.name(),
            "{\"metadata\":{\"annotations\":{\"%s\":\"%d\"}}}".formatted(SluiceLabels.REVISION, rev.revision()),
            rs -> annotated(rs, SluiceLabels.REVISION, Long.toString(rev.revision())));
      } else if (action instanceof SetScaleDownDeadline deadline) {
        patchReplicaSet(rollout, deadline.name(),
            "{\"metadata\":{\"annotations\":{\"%s\":\"%s\"}}}".formatted(SetScaleDownDeadline.ANNOTATION, deadline.deadline()),
            rs -> annotated(rs, SetScaleDownDeadline.ANNOTATION, deadline.deadline()));
      } else if (action instanceof SetTemplateRole role) {
        patchReplicaSet(rollout, role.name(), RolePatches.templateRole(role));
        log.info("{}/{}: ReplicaSet {} pod template role metadata set to {}", namespace(rollout), rollout.getMetadata().getName(),
            role.name(), role.role());
      } else if (action instanceof SetTemplateAntiAffinity anti) {
        setAntiAffinity(rollout, anti);
      } else if (action instanceof SetPodMetadata pod) {
        setPodMetadata(rollout, pod);
      } else if (action instanceof DeleteReplicaSet delete) {
        replicaSetsIn(rollout).withName(delete.name()).delete();
      } else if (action instanceof ScaleDeployment scale) {
        scaleDeployment(rollout, scale);
      } else if (action instanceof DeletePod delete) {
        client.pods().inNamespace(namespace(rollout)).withName(delete.name()).delete();
      } else if (action instanceof PinServiceSelector pin) {
        pinService(rollout, pin);
      } else if (action instanceof TrafficAction traffic) {
        route(rollout, traffic);
      } else if (action instanceof CreateAnalysisRun create) {
        createRun(rollout, create);
      } else if (action instanceof TerminateAnalysisRun terminate) {
        terminateRun(rollout, terminate.name());
      } else if (action instanceof DeleteAnalysisRun delete) {
        runsIn(rollout).withName(delete.name()).delete();
        log.info("{}/{}: AnalysisRun {} deleted (beyond the history limits)", namespace(rollout), rollout.getMetadata().getName(),
            delete.name());
      }
    }
  }

  private void setAntiAffinity(Rollout rollout, SetTemplateAntiAffinity action) {
    ReplicaSet current = replicaSets.get(new ResourceID(action.name(), namespace(rollout)))
        .orElseGet(() -> replicaSetsIn(rollout).withName(action.name()).get());
    if (current == null) {
      return;
    }
    var template = current.getSpec().getTemplate();
    var affinity = template == null || template.getSpec() == null ? null : template.getSpec().getAffinity();
    patchReplicaSet(rollout, action.name(), RolePatches.affinity(AntiAffinityTemplates.with(affinity, action.term())));
    log.info("{}/{}: ReplicaSet {} pod anti-affinity {}", namespace(rollout), rollout.getMetadata().getName(), action.name(),
        action.term().map(t -> "to pods " + t.stableHash() + (t.required() ? " required" : " preferred, weight " + t.weight()))
            .orElse("removed"));
  }

  /** A merge patch of the pod's labels and annotations, through a reference to it (no GET first); a pod gone is fine. */
  private void setPodMetadata(Rollout rollout, SetPodMetadata action) {
    Pod pod = new PodBuilder().withNewMetadata().withName(action.name()).withNamespace(namespace(rollout)).endMetadata().build();
    try {
      client.pods().inNamespace(namespace(rollout)).resource(pod).patch(MERGE, RolePatches.metadata(action.change()));
      log.info("{}/{}: pod {} role metadata changed: {}", namespace(rollout), rollout.getMetadata().getName(), action.name(),
          action.change());
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) throw e;
    }
  }

  private void createRun(Rollout rollout, CreateAnalysisRun action) {
    try {
      AnalysisRun created = client.resource(AnalysisRunFactory.build(rollout, action)).create();
      // so the next reconcile sees it even if the informer has not caught up yet
      analysisRuns.ifPresent(runs -> runs.handleRecentResourceCreate(ResourceID.fromResource(rollout), created));
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw refused("AnalysisRun", action.name(), e);
      // the name says which analysis of which attempt it is: one that exists is this one if it is
      // owned by this rollout and carries the labels it would have been created with
      AnalysisRun existing = runsIn(rollout).withName(action.name()).get();
      if (existing == null) throw e;
      var labels = existing.getMetadata().getLabels();
      if (!Ownership.controlledBy(existing, rollout) || labels == null
          || !labels.entrySet().containsAll(action.labels().entrySet())) {
        throw NameTakenException.of("AnalysisRun", action.name(), rollout);
      }
      analysisRuns.ifPresent(runs -> runs.handleRecentResourceCreate(ResourceID.fromResource(rollout), existing));
    }
  }

  private void terminateRun(Rollout rollout, String name) {
    AnalysisRun before = analysisRuns.flatMap(runs -> runs.get(new ResourceID(name, namespace(rollout)))).orElse(null);
    try {
      AnalysisRun after = runsIn(rollout).withName(name).patch(MERGE, "{\"spec\":{\"terminate\":true}}");
      if (before != null) {
        // a retry must not find this run un-terminated in a cache that lags behind
        analysisRuns.get().handleRecentResourceUpdate(ResourceID.fromResource(rollout), after, before);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) throw e;
    }
  }

  private NonNamespaceOperation<AnalysisRun, KubernetesResourceList<AnalysisRun>, Resource<AnalysisRun>> runsIn(Rollout rollout) {
    return client.resources(AnalysisRun.class).inNamespace(namespace(rollout));
  }

  private void route(Rollout rollout, TrafficAction action) {
    TrafficRouter r = router.orElseThrow(() -> new IllegalStateException(
        "planned " + action + " for rollout " + rollout.getMetadata().getName() + ", which has no traffic router"));
    RouterContext ctx = RouterContext.of(rollout, action.canaryHash(), action.stableHash());
    String who = namespace(rollout) + "/" + rollout.getMetadata().getName() + " " + r.name();
    if (action instanceof SetTrafficWeight weight) {
      r.setWeight(ctx, weight.weight());
      log.info("{}: canary weight set to {} of {} (canary pods {}, stable pods {})", who, weight.weight(),
          ctx.maxTrafficWeight(), action.canaryHash(), action.stableHash());
    } else if (action instanceof SetHeaderRoute header) {
      r.setHeaderRoute(ctx, header.route());
      log.info("{}: header route {} set", who, header.route().name());
    } else if (action instanceof SetMirrorRoute mirror) {
      r.setMirrorRoute(ctx, mirror.route());
      log.info("{}: mirror route {} set", who, mirror.route().name());
    } else if (action instanceof RemoveManagedRoutes) {
      r.removeManagedRoutes(ctx);
      log.info("{}: managed routes removed", who);
    }
  }

  /**
   * One PUT of the Deployment's scale subresource, without a resourceVersion: Sluice may change the
   * Deployment's replicas and nothing else of it (its RBAC allows only deployments/scale), and the
   * planner decided from the cached replicas, so a newer object only means planning again.
   */
  private void scaleDeployment(Rollout rollout, ScaleDeployment action) {
    client.apps().deployments().inNamespace(namespace(rollout)).withName(action.name()).scale(new ScaleBuilder()
        .withNewMetadata().withName(action.name()).withNamespace(namespace(rollout)).endMetadata()
        .withNewSpec().withReplicas(action.replicas()).endSpec()
        .build());
    log.info("{}/{}: Deployment {} scaled to {} (workloadRef scaleDown {})", namespace(rollout), rollout.getMetadata().getName(),
        action.name(), action.replicas(), rollout.getSpec().workloadRef().scaleDownOrDefault());
  }

  private void create(Rollout rollout, PodTemplateSpec podTemplate, CreateReplicaSet action) {
    try {
      ReplicaSet created = client.resource(ReplicaSetFactory.build(rollout, podTemplate, action)).create();
      // so the next reconcile sees it even if the informer has not caught up yet
      replicaSets.handleRecentResourceCreate(ResourceID.fromResource(rollout), created);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw refused("ReplicaSet", action.name(), e);
      // ours, not yet in the cache: scale it; anyone else's: leave it alone
      ReplicaSet existing = replicaSetsIn(rollout).withName(action.name()).get();
      if (existing == null) throw e;
      if (!Ownership.controlledBy(existing, rollout)) {
        throw NameTakenException.of("ReplicaSet", action.name(), rollout);
      }
      ReplicaSet scaled = replicaSetsIn(rollout).resource(existing)
          .patch(MERGE, "{\"spec\":{\"replicas\":%d}}".formatted(action.replicas()));
      replicaSets.handleRecentResourceCreate(ResourceID.fromResource(rollout), scaled);
    }
  }

  /** A refusal the rollout must report (invalid, forbidden), or the error itself for the reconciler to retry. */
  private static RuntimeException refused(String kind, String name, KubernetesClientException e) {
    if (!RefusedCreate.reported(e.getCode())) {
      return e;
    }
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    return new RefusedCreateException(new RefusedCreate(kind, name, e.getCode(), message), e);
  }

  /** As {@link #patchReplicaSet}: by the cached object (no GET first), and the cache told at once. */
  private void pinService(Rollout rollout, PinServiceSelector pin) {
    String patch = "{\"spec\":{\"selector\":{\"%s\":\"%s\"}}}".formatted(SluiceLabels.POD_TEMPLATE_HASH, pin.hash());
    var inNamespace = client.services().inNamespace(namespace(rollout));
    Service before = services.get(new ResourceID(pin.service(), namespace(rollout))).orElse(null);
    if (before == null) {
      inNamespace.withName(pin.service()).patch(MERGE, patch);
      return;
    }
    Service after = inNamespace.resource(before).patch(MERGE, patch);
    services.handleRecentResourceUpdate(ResourceID.fromResource(rollout), after, before);
  }

  private void patchReplicaSet(Rollout rollout, String name, String mergePatch) {
    patchReplicaSet(rollout, name, mergePatch, null);
  }

  /** @param predicted what the patch makes of the cached ReplicaSet; null when that is not worked out here */
  private void patchReplicaSet(Rollout rollout, String name, String mergePatch, UnaryOperator<ReplicaSet> predicted) {
    ReplicaSet before = replicaSets.get(new ResourceID(name, namespace(rollout))).orElse(null);
    if (before == null) {
      replicaSetsIn(rollout).withName(name).patch(MERGE, mergePatch);
      return;
    }
    if (predicted != null) {
      ownPatches.sending(predicted.apply(before));
    }
    // a patch through withName(name) first GETs the object from the API server; the cached one
    // names it as well (a merge patch carries no resourceVersion, so its age does not matter)
    try {
      ReplicaSet after = replicaSetsIn(rollout).resource(before).patch(MERGE, mergePatch);
      replicaSets.handleRecentResourceUpdate(ResourceID.fromResource(rollout), after, before);
    } finally {
      ownPatches.answered(before);
    }
  }

  private static ReplicaSet annotated(ReplicaSet rs, String key, String value) {
    return new ReplicaSetBuilder(rs).editMetadata().addToAnnotations(key, value).endMetadata().build();
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<ReplicaSet, io.fabric8.kubernetes.api.model.apps.ReplicaSetList,
      io.fabric8.kubernetes.client.dsl.RollableScalableResource<ReplicaSet>> replicaSetsIn(Rollout rollout) {
    return client.apps().replicaSets().inNamespace(namespace(rollout));
  }

  private static String namespace(Rollout rollout) {
    return rollout.getMetadata().getNamespace();
  }
}

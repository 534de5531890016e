package dev.sluice.controller.rollout;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.controller.plan.Action;
import dev.sluice.controller.plan.Action.CreateReplicaSet;
import dev.sluice.controller.plan.Action.DeletePod;
import dev.sluice.controller.plan.Action.DeleteReplicaSet;
import dev.sluice.controller.plan.Action.PinServiceSelector;
import dev.sluice.controller.plan.Action.ScaleReplicaSet;
import dev.sluice.controller.plan.Action.SetRevision;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.util.List;

/**
 * Carries out a plan's actions in order. Each one is idempotent (creating what exists or deleting
 * what is gone is fine), so a reconcile interrupted half-way is simply planned and applied again.
 */
public final class RolloutApplier {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final InformerEventSource<ReplicaSet, Rollout> replicaSets;

  public RolloutApplier(KubernetesClient client, InformerEventSource<ReplicaSet, Rollout> replicaSets) {
    this.client = client;
    this.replicaSets = replicaSets;
  }

  public void apply(Rollout rollout, List<Action> actions) {
    for (Action action : actions) {
      if (action instanceof CreateReplicaSet create) {
        create(rollout, create);
      } else if (action instanceof ScaleReplicaSet scale) {
        patchReplicaSet(rollout, scale.name(), "{\"spec\":{\"replicas\":%d}}".formatted(scale.replicas()));
      } else if (action instanceof SetRevision rev) {
        patchReplicaSet(rollout, rev.name(),
            "{\"metadata\":{\"annotations\":{\"%s\":\"%d\"}}}".formatted(SluiceLabels.REVISION, rev.revision()));
      } else if (action instanceof DeleteReplicaSet delete) {
        replicaSetsIn(rollout).withName(delete.name()).delete();
      } else if (action instanceof DeletePod delete) {
        client.pods().inNamespace(namespace(rollout)).withName(delete.name()).delete();
      } else if (action instanceof PinServiceSelector pin) {
        client.services().inNamespace(namespace(rollout)).withName(pin.service())
            .patch(MERGE, "{\"spec\":{\"selector\":{\"%s\":\"%s\"}}}".formatted(SluiceLabels.POD_TEMPLATE_HASH, pin.hash()));
      }
    }
  }

  private void create(Rollout rollout, CreateReplicaSet action) {
    try {
      ReplicaSet created = client.resource(ReplicaSetFactory.build(rollout, action)).create();
      // so the next reconcile sees it even if the informer has not caught up yet
      replicaSets.handleRecentResourceCreate(ResourceID.fromResource(rollout), created);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
      patchReplicaSet(rollout, action.name(), "{\"spec\":{\"replicas\":%d}}".formatted(action.replicas()));
    }
  }

  private void patchReplicaSet(Rollout rollout, String name, String mergePatch) {
    ReplicaSet before = replicaSets.get(new ResourceID(name, namespace(rollout))).orElse(null);
    ReplicaSet after = replicaSetsIn(rollout).withName(name).patch(MERGE, mergePatch);
    if (before != null) {
      replicaSets.handleRecentResourceUpdate(ResourceID.fromResource(rollout), after, before);
    }
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<ReplicaSet, io.fabric8.kubernetes.api.model.apps.ReplicaSetList,
      io.fabric8.kubernetes.client.dsl.RollableScalableResource<ReplicaSet>> replicaSetsIn(Rollout rollout) {
    return client.apps().replicaSets().inNamespace(namespace(rollout));
  }

  private static String namespace(Rollout rollout) {
    return rollout.getMetadata().getNamespace();
  }
}

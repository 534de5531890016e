package dev.sluice.cli.dashboard;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.Ownership;
import dev.sluice.cli.kube.StoredRollouts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Rollouts, their ReplicaSets and pods, and AnalysisRuns, kept current by informers (one list, then
 * the API server pushes every change; nothing polls). Each change bumps {@link #changes()}.
 * ReplicaSets and pods are watched only when they carry Sluice's pod-template-hash label.
 */
public final class ClusterCache implements AutoCloseable {
  /** A rollout and what belongs to it, as the caches hold them now. */
  public record RolloutObjects(Rollout rollout, List<ReplicaSet> replicaSets, List<Pod> pods, List<AnalysisRun> analysisRuns) {}

  private final String namespace;
  private final ChangeSignal changes = new ChangeSignal();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private volatile String failure;
  private SharedIndexInformer<GenericKubernetesResource> rollouts;
  private KubernetesSerialization serialization;
  private SharedIndexInformer<ReplicaSet> replicaSets;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<AnalysisRun> analysisRuns;

  private ClusterCache(String namespace) {
    this.namespace = namespace;
  }

  /**
   * Lists and starts watching; returns once the caches are filled.
   *
   * @param namespace the one namespace to watch, or null for all
   * @throws KubernetesClientException when a list is refused (not allowed, no CRD, no connection)
   */
  public static ClusterCache start(KubernetesClient client, String namespace) {
    ClusterCache cache = new ClusterCache(namespace);
    try {
      // untyped, read one by one: a Rollout the model cannot read is shown as such, and stops nothing
      cache.serialization = client.getKubernetesSerialization();
      cache.rollouts = cache.track(scoped(client.genericKubernetesResources(StoredRollouts.CONTEXT), namespace).inform(cache.handler()));
      cache.replicaSets = cache.track(scoped(client.apps().replicaSets(), namespace)
          .withLabel(SluiceLabels.POD_TEMPLATE_HASH).inform(cache.handler()));
      cache.pods = cache.track(scoped(client.pods(), namespace).withLabel(SluiceLabels.POD_TEMPLATE_HASH).inform(cache.handler()));
      try {
        cache.analysisRuns = cache.track(scoped(client.resources(AnalysisRun.class), namespace).inform(cache.handler()));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) throw e;
        // no AnalysisRun CRD installed: no analysis to show
      }
      return cache;
    } catch (RuntimeException e) {
      cache.close();
      throw e;
    }
  }

  private static <T extends HasMetadata, L, R extends Resource<T>> AnyNamespaceOperation<T, L, R> scoped(
      MixedOperation<T, L, R> operation, String namespace) {
    return namespace == null ? operation.inAnyNamespace() : operation.inNamespace(namespace);
  }

  /** The namespace watched, or null for all. */
  public String namespace() {
    return namespace;
  }

  public boolean watches(String namespace) {
    return this.namespace == null || this.namespace.equals(namespace);
  }

  public StoredRollouts.Listing rollouts() {
    return StoredRollouts.readAll(serialization, rollouts.getStore().list());
  }

  /** Empty when there is no such rollout, or it cannot be read (see {@link #unreadable}). */
  public Optional<RolloutObjects> rollout(String namespace, String name) {
    GenericKubernetesResource stored = rollouts.getStore().getByKey(namespace + "/" + name);
    if (stored == null) return Optional.empty();
    StoredRollouts.Listing read = StoredRollouts.readAll(serialization, List.of(stored));
    if (read.rollouts().isEmpty()) return Optional.empty();
    Rollout rollout = read.rollouts().get(0);
    List<ReplicaSet> owned = Ownership.ownedBy(inNamespace(replicaSets, namespace), rollout);
    List<AnalysisRun> runs = analysisRuns == null ? List.of() : Ownership.ownedBy(inNamespace(analysisRuns, namespace), rollout);
    return Optional.of(new RolloutObjects(rollout, owned, inNamespace(pods, namespace), runs));
  }

  /** Why the rollout cannot be read, if it is stored and cannot be. */
  public Optional<StoredRollouts.Unreadable> unreadable(String namespace, String name) {
    GenericKubernetesResource stored = rollouts.getStore().getByKey(namespace + "/" + name);
    return stored == null ? Optional.empty() : StoredRollouts.readAll(serialization, List.of(stored)).unreadable().stream().findFirst();
  }

  private static <T extends HasMetadata> List<T> inNamespace(SharedIndexInformer<T> informer, String namespace) {
    return informer.getStore().list().stream()
        .filter(o -> namespace.equals(o.getMetadata().getNamespace())).collect(Collectors.toList());
  }

  /** Why the caches stopped following the cluster, if they did. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  ChangeSignal changes() {
    return changes;
  }

  private <T extends HasMetadata> SharedIndexInformer<T> track(SharedIndexInformer<T> informer) {
    informers.add(informer);
    informer.stopped().whenComplete((ignored, error) -> {
      if (error != null) {
        failure = "the watch on the API server stopped: " + error.getMessage();
        changes.changed();
      }
    });
    return informer;
  }

  private <T> ResourceEventHandler<T> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changes.changed();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        changes.changed();
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        changes.changed();
      }
    };
  }

  @Override
  public void close() {
    changes.close();
    informers.forEach(SharedIndexInformer::close);
  }
}

package dev.sluice.cli.kube;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import dev.sluice.api.Ownership;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Follows a rollout (and optionally its ReplicaSets and AnalysisRuns) through watches: informers
 * list once, then the API server pushes every change; nothing polls. {@link #nextChange} blocks
 * until something changed and returns how things look now.
 */
public final class RolloutWatch implements AutoCloseable {
  /** How things look now; {@code rollout} is null once it has been deleted. */
  public record Snapshot(Rollout rollout, List<ReplicaSet> replicaSets, List<AnalysisRun> analysisRuns) {}

  // one permit = "something changed since the last snapshot"; starts with one for the first snapshot
  private final Semaphore changed = new Semaphore(1);
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private volatile Throwable failure;
  private SharedIndexInformer<Rollout> rolloutInformer;
  private SharedIndexInformer<ReplicaSet> replicaSetInformer;
  private SharedIndexInformer<AnalysisRun> analysisRunInformer;

  private RolloutWatch() {}

  public static RolloutWatch start(RolloutClient rollouts, String name, boolean withOwnedObjects) {
    RolloutWatch watch = new RolloutWatch();
    try {
      var client = rollouts.client();
      watch.rolloutInformer = watch.track(
          client.resources(Rollout.class).inNamespace(rollouts.namespace()).withName(name).inform(watch.handler()));
      if (withOwnedObjects) {
        watch.replicaSetInformer = watch.track(client.apps().replicaSets().inNamespace(rollouts.namespace()).inform(watch.handler()));
        try {
          watch.analysisRunInformer = watch.track(
              client.resources(AnalysisRun.class).inNamespace(rollouts.namespace()).inform(watch.handler()));
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) throw e;
          // no AnalysisRun CRD installed: nothing to show
        }
      }
      return watch;
    } catch (RuntimeException e) {
      watch.close();
      throw e;
    }
  }

  /** Waits for the next change and returns the state after it; the first call returns at once. */
  public Snapshot nextChange() throws InterruptedException {
    changed.acquire();
    return snapshot();
  }

  /** As {@link #nextChange()}, or empty if nothing changed within {@code timeout}. */
  public Optional<Snapshot> nextChange(Duration timeout) throws InterruptedException {
    if (!changed.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return Optional.empty();
    }
    return Optional.of(snapshot());
  }

  private Snapshot snapshot() {
    changed.drainPermits();
    if (failure != null) {
      if (failure instanceof KubernetesClientException k8s) throw k8s;
      throw new CliException("the watch on the API server stopped: " + failure.getMessage());
    }
    List<Rollout> rollouts = rolloutInformer.getStore().list();
    Rollout rollout = rollouts.isEmpty() ? null : rollouts.get(0);
    if (rollout == null) {
      return new Snapshot(null, List.of(), List.of());
    }
    List<ReplicaSet> replicaSets = replicaSetInformer == null ? List.of() : Ownership.ownedBy(replicaSetInformer.getStore().list(), rollout);
    List<AnalysisRun> runs = analysisRunInformer == null ? List.of() : Ownership.ownedBy(analysisRunInformer.getStore().list(), rollout);
    return new Snapshot(rollout, replicaSets, runs);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> track(SharedIndexInformer<T> informer) {
    informers.add(informer);
    informer.stopped().whenComplete((ignored, error) -> {
      if (error != null) {
        failure = error;
        changed.release();
      }
    });
    return informer;
  }

  private <T> ResourceEventHandler<T> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed.release();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        changed.release();
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        changed.release();
      }
    };
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}

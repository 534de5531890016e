package dev.sluice.controller.rollout;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * The Deployment informer's store, keeping of each Deployment only what a rollout's workloadRef
 * reads (name, generation, spec): its managedFields, last-applied annotation and status, often most
 * of the object, are dropped as it is stored. Every Deployment in the watched namespaces is cached,
 * since any may be named by a rollout created later.
 */
final class TrimmedDeploymentStore implements ItemStore<Deployment> {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final BasicItemStore<Deployment> store = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  @Override
  public String getKey(Deployment deployment) {
    return store.getKey(deployment);
  }

  @Override
  public Deployment put(String key, Deployment deployment) {
    return store.put(key, trim(deployment));
  }

  static Deployment trim(Deployment deployment) {
    var meta = deployment.getMetadata();
    meta.setManagedFields(null);
    if (meta.getAnnotations() != null) {
      meta.getAnnotations().remove(LAST_APPLIED);
    }
    deployment.setStatus(null);
    return deployment;
  }

  @Override
  public Deployment remove(String key) {
    return store.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return store.keySet();
  }

  @Override
  public Stream<Deployment> values() {
    return store.values();
  }

  @Override
  public int size() {
    return store.size();
  }

  @Override
  public Deployment get(String key) {
    return store.get(key);
  }
}

package dev.sluice.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.function.UnaryOperator;

/**
 * What the informer caches keep of an object: all but what the controller never reads. Every cached
 * object loses {@code metadata.managedFields} (server-side apply's bookkeeping, often the largest part
 * of a small object) and kubectl's last-applied-configuration annotation (a second copy of the object
 * as last applied); a ReplicaSet also loses its pod template's spec but for its affinity (the
 * controller reads a ReplicaSet's labels, annotations, owner, replica count and status, its pod
 * template's metadata and affinity for the pods' role metadata and anti-affinity, and builds new
 * ReplicaSets from the Rollout's template). Objects are trimmed as they enter the cache, before any
 * handler sees them.
 *
 * <p>Nothing writes a cached object back whole: statuses are written to the status subresource, which
 * keeps the stored metadata (and an update without managedFields keeps the stored ones); ReplicaSets
 * and Services are merge-patched by name.
 */
public final class CachedObjects {
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private CachedObjects() {}

  /** A cache of objects without managedFields and the last-applied annotation. */
  public static <R extends HasMetadata> ItemStore<R> store() {
    return new TransformingItemStore<>(CachedObjects::trim);
  }

  /** A cache of ReplicaSets trimmed as {@link #store()} does, their pod template reduced to its metadata and affinity. */
  public static ItemStore<ReplicaSet> replicaSetStore() {
    return new TransformingItemStore<>(withoutTemplate());
  }

  /**
   * A cache of Deployments trimmed as {@link #store()} does, without their status too: a
   * workloadRef reads a Deployment's name, generation and spec. Every Deployment of the watched
   * namespaces is cached, since any may be named by a rollout created later.
   */
  public static ItemStore<Deployment> deploymentStore() {
    return new TransformingItemStore<>(deployment -> {
      trim(deployment);
      deployment.setStatus(null);
      return deployment;
    });
  }

  static <R extends HasMetadata> R trim(R object) {
    var meta = object.getMetadata();
    if (meta != null) {
      meta.setManagedFields(null);
      if (meta.getAnnotations() != null) {
        meta.getAnnotations().remove(LAST_APPLIED);
      }
    }
    return object;
  }

  static UnaryOperator<ReplicaSet> withoutTemplate() {
    return rs -> {
      trim(rs);
      var template = rs.getSpec() == null ? null : rs.getSpec().getTemplate();
      if (template != null) {
        var affinity = template.getSpec() == null ? null : template.getSpec().getAffinity();
        rs.getSpec().setTemplate(new PodTemplateSpecBuilder().withMetadata(template.getMetadata())
            .withNewSpec().withAffinity(affinity).endSpec().build());
      }
      return rs;
    };
  }
}

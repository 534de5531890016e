package dev.sluice.controller.analysis;

import dev.sluice.analysis.provider.JobStore;
import dev.sluice.api.v1alpha1.AnalysisRun;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;

/** Jobs of job metrics: read from the informer cache (API server as fallback), written through the client. */
final class InformerJobStore implements JobStore {
  private static final int CONFLICT = 409;

  private final KubernetesClient client;
  private final InformerEventSource<Job, AnalysisRun> jobs;

  InformerJobStore(KubernetesClient client, InformerEventSource<Job, AnalysisRun> jobs) {
    this.client = client;
    this.jobs = jobs;
  }

  @Override
  public Optional<Job> get(String namespace, String name) {
    Optional<Job> cached = jobs.get(new ResourceID(name, namespace));
    if (cached.isPresent()) {
      return cached;
    }
    // just created, or created before a restart and not yet in the cache
    return Optional.ofNullable(client.batch().v1().jobs().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Job create(Job job) {
    try {
      Job created = client.resource(job).create();
      jobs.handleRecentResourceCreate(ResourceID.fromResource(created), created);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() == CONFLICT) {
        Job existing = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName()).get();
        if (existing != null) {
          return existing;
        }
      }
      throw e;
    }
  }

  @Override
  public void delete(String namespace, String name) {
    client.batch().v1().jobs().inNamespace(namespace).withName(name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
  }
}

package dev.sluice.controller.serialization;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.AnalysisTemplate;
import dev.sluice.api.v1alpha1.ClusterAnalysisTemplate;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * The controller client's serialization: {@link UnreadableResources}' tolerant reads, and a watch
 * event's object read straight into its class for the kinds the controller watches.
 *
 * <p>A watch event's object is typed only by its apiVersion and kind. fabric8's default mapping from
 * those to classes is built, at the first watch event, from every KubernetesResource its model jars
 * list as services: it loads and instantiates some 600 classes of kinds this controller never reads
 * (about 5 MB of Metaspace and symbols, bench/results/2026-12-07-rss.md). And it does not know Sluice's
 * own kinds, whose events it read into a GenericKubernetesResource and then converted. Here the
 * mapping holds {@link #WATCHED} only; any other kind's event is still read, as a
 * GenericKubernetesResource that fabric8 converts to the watched class. (fabric8's own static
 * serialization, which reads a kubeconfig, still looks the services up: the runnable jar leaves them
 * out, see controller/pom.xml.)
 */
public final class ClientSerialization {
  /** Every kind an informer of the controller watches, and Status (how a watch reports an error, e.g. 410 Gone). */
  static final List<Class<? extends KubernetesResource>> WATCHED = List.of(Status.class, Rollout.class, AnalysisRun.class,
      AnalysisTemplate.class, ClusterAnalysisTemplate.class, ReplicaSet.class, Service.class, Deployment.class, Job.class);

  private ClientSerialization() {}

  public static KubernetesSerialization create() {
    var serialization = new KubernetesSerialization(new ObjectMapper().registerModule(UnreadableResources.module()), false);
    WATCHED.forEach(serialization::registerKubernetesResource);
    return serialization;
  }
}

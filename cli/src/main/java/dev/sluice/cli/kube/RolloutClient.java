package dev.sluice.cli.kube;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import dev.sluice.cli.actions.Ownership;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/** Reads a rollout and what it owns, and sends the user actions' patches. */
public final class RolloutClient {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

  private final KubernetesClient client;
  private final String namespace;

  public RolloutClient(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }

  /** The rollout, or a "not found" error naming it and the namespace. */
  public Rollout require(String name) {
    Rollout rollout = resource(name).get();
    if (rollout == null) {
      throw new CliException("rollout \"" + name + "\" not found in namespace \"" + namespace + "\"");
    }
    return rollout;
  }

  /**
   * The Rollouts of the namespace (or all). Each is read on its own: one another tenant stored with
   * a value the model cannot hold (e.g. a number beyond an int, written before the CRD had bounds)
   * is named on stderr and left out instead of failing the whole list.
   */
  public List<Rollout> list(boolean allNamespaces) {
    // the kind's context from the model: no discovery request before the list
    var generic = client.genericKubernetesResources(io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.fromResourceType(Rollout.class));
    var items = (allNamespaces ? generic.inAnyNamespace() : generic.inNamespace(namespace)).list().getItems();
    List<Rollout> rollouts = new java.util.ArrayList<>();
    for (var item : items) {
      try {
        rollouts.add(client.getKubernetesSerialization().convertValue(item, Rollout.class));
      } catch (RuntimeException unreadable) {
        System.err.printf("warning: rollout %s/%s cannot be read and is not listed: %s%n",
            item.getMetadata().getNamespace(), item.getMetadata().getName(), firstLine(unreadable.getMessage()));
      }
    }
    return rollouts;
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  public List<ReplicaSet> replicaSets(Rollout rollout) {
    return Ownership.ownedBy(client.apps().replicaSets().inNamespace(namespace).list().getItems(), rollout);
  }

  /** The rollout's AnalysisRuns; none when the AnalysisRun CRD is not installed. */
  public List<AnalysisRun> analysisRuns(Rollout rollout) {
    try {
      return Ownership.ownedBy(client.resources(AnalysisRun.class).inNamespace(namespace).list().getItems(), rollout);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) return List.of();
      throw e;
    }
  }

  public void mergePatchStatus(String name, String patch) {
    resource(name).subresource("status").patch(MERGE, patch);
  }

  public void mergePatch(String name, String patch) {
    resource(name).patch(MERGE, patch);
  }

  public void jsonPatch(String name, String patch) {
    resource(name).patch(JSON_PATCH, patch);
  }

  public Resource<Rollout> resource(String name) {
    return client.resources(Rollout.class).inNamespace(namespace).withName(name);
  }

  public KubernetesClient client() {
    return client;
  }
}

package dev.sluice.cli.kube;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import dev.sluice.api.Ownership;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/** Reads a rollout and what it owns, and sends the user actions' patches. */
public final class RolloutClient implements RolloutReads {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
  private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

  private final KubernetesClient client;
  private final String namespace;

  public RolloutClient(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public Rollout require(String name) {
    GenericKubernetesResource stored = generic().inNamespace(namespace).withName(name).get();
    if (stored == null) {
      throw new CliException("rollout \"" + name + "\" not found in namespace \"" + namespace + "\"");
    }
    return StoredRollouts.read(client.getKubernetesSerialization(), stored);
  }

  @Override
  public StoredRollouts.Listing list(boolean allNamespaces) {
    var generic = generic();
    var items = (allNamespaces ? generic.inAnyNamespace() : generic.inNamespace(namespace)).list().getItems();
    return StoredRollouts.readAll(client.getKubernetesSerialization(), items);
  }

  private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> generic() {
    return client.genericKubernetesResources(StoredRollouts.CONTEXT);
  }

  @Override
  public List<ReplicaSet> replicaSets(Rollout rollout) {
    return Ownership.ownedBy(client.apps().replicaSets().inNamespace(namespace).list().getItems(), rollout);
  }

  @Override
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

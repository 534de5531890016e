package dev.sluice.cli.kube;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.ReadProblem;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.cli.CliException;
import dev.sluice.cli.actions.Ownership;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
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

  /** The Rollouts of a list that the model could read, and one line for each it could not. */
  public record Listing(List<Rollout> rollouts, List<String> unreadable) {}

  /**
   * The rollout, or an error naming it and the namespace when it is not there, or saying where and
   * why when the stored object cannot be read by this kubectl-sluice.
   */
  public Rollout require(String name) {
    GenericKubernetesResource stored = generic().inNamespace(namespace).withName(name).get();
    if (stored == null) {
      throw new CliException("rollout \"" + name + "\" not found in namespace \"" + namespace + "\"");
    }
    return read(stored);
  }

  /**
   * The Rollouts of the namespace (or all). Each is read on its own: one that another tenant stored
   * with a value the model cannot hold (a number beyond an int, stored before the CRD had bounds or
   * where the CRD still has none) is named in {@link Listing#unreadable} instead of failing the
   * whole list.
   */
  public Listing list(boolean allNamespaces) {
    var generic = generic();
    var items = (allNamespaces ? generic.inAnyNamespace() : generic.inNamespace(namespace)).list().getItems();
    List<Rollout> rollouts = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (var item : items) {
      try {
        rollouts.add(read(item));
      } catch (CliException e) {
        unreadable.add(e.getMessage());
      }
    }
    return new Listing(List.copyOf(rollouts), List.copyOf(unreadable));
  }

  // the kind's context from the model: no discovery request before the request
  private MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> generic() {
    return client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(Rollout.class));
  }

  private Rollout read(GenericKubernetesResource stored) {
    try {
      return client.getKubernetesSerialization().convertValue(stored, Rollout.class);
    } catch (IllegalArgumentException e) {
      if (!(e.getCause() instanceof JacksonException jackson)) throw e;
      ReadProblem problem = ReadProblem.of(jackson);
      String where = stored.getMetadata().getNamespace() + "/" + stored.getMetadata().getName();
      throw new CliException("rollout \"" + where + "\" cannot be read by kubectl-sluice: " + problem + storedValue(stored, problem));
    }
  }

  /** " (stored: 9000000000)": what is there, when it is a plain value. */
  private String storedValue(GenericKubernetesResource stored, ReadProblem problem) {
    if (problem.pointer().isEmpty()) return "";
    JsonNode value = client.getKubernetesSerialization().convertValue(stored, JsonNode.class).at(problem.pointer());
    return value.isValueNode() ? " (stored: " + value + ")" : "";
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

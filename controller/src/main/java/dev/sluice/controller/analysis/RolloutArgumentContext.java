package dev.sluice.controller.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.analysis.args.ArgumentContext;
import dev.sluice.api.Ownership;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * For a run that still has fieldRef or podTemplateHashValue arguments (the Rollout usually
 * resolves those when it creates the run): the owning Rollout and its stable and latest hashes.
 */
final class RolloutArgumentContext {
  private RolloutArgumentContext() {}

  static ArgumentContext of(AnalysisRun run, KubernetesClient client) {
    List<AnalysisArgument> args = run.getSpec() == null || run.getSpec().args() == null ? List.of() : run.getSpec().args();
    boolean needsRollout = args.stream().anyMatch(a -> a.valueFrom() != null
        && (a.valueFrom().fieldRef() != null || a.valueFrom().podTemplateHashValue() != null));
    if (!needsRollout) {
      return ArgumentContext.none();
    }
    var owner = Ownership.rolloutOwner(run);
    if (owner.isEmpty()) {
      return ArgumentContext.none();
    }
    Rollout rollout = client.resources(Rollout.class).inNamespace(run.getMetadata().getNamespace()).withName(owner.get().getName()).get();
    if (rollout == null) {
      return ArgumentContext.none();
    }
    JsonNode json = client.getKubernetesSerialization().convertValue(rollout, JsonNode.class);
    var status = rollout.getStatus();
    return new ArgumentContext(json, status == null ? null : status.stableRS(), status == null ? null : status.currentPodHash());
  }
}

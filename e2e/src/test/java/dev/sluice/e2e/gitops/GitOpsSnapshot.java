package dev.sluice.e2e.gitops;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.Rollouts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a person watching the GitOps loop sees at one moment: the revision source-controller
 * fetched, what kustomize-controller attempted and applied and whether it calls the Kustomization
 * Ready, and where Sluice has the Rollout. The Kustomization is read before the Rollout, so a
 * snapshot never shows Flux Ready on a Rollout state older than the one Flux judged.
 */
record GitOpsSnapshot(
    String fetched,
    String attempted,
    String applied,
    Condition ready,
    String image,
    String phase,
    Integer step,
    Integer weight,
    String rolloutMessage,
    String stableHash,
    String currentHash) {

  record Condition(String status, String reason, String message) {
    static final Condition NONE = new Condition("-", "-", "");

    @Override
    public String toString() {
      return status + "/" + reason;
    }
  }

  static GitOpsSnapshot take(KubernetesClient client, String namespace, String name) {
    GenericKubernetesResource source = client.genericKubernetesResources("source.toolkit.fluxcd.io/v1", "GitRepository")
        .inNamespace(namespace).withName(name).get();
    GenericKubernetesResource kustomization = client.genericKubernetesResources("kustomize.toolkit.fluxcd.io/v1", "Kustomization")
        .inNamespace(namespace).withName(name).get();
    Rollout rollout = client.resources(Rollout.class).inNamespace(namespace).withName(name).get();
    RolloutStatus status = rollout == null ? null : rollout.getStatus();
    return new GitOpsSnapshot(
        str(path(source, "status", "artifact", "revision")),
        str(path(kustomization, "status", "lastAttemptedRevision")),
        str(path(kustomization, "status", "lastAppliedRevision")),
        condition(kustomization, "Ready"),
        rollout == null ? null : rollout.getSpec().template().getSpec().getContainers().get(0).getImage(),
        status == null ? null : status.phase(),
        status == null ? null : status.currentStepIndex(),
        Rollouts.canaryWeight(status),
        status == null ? null : status.message(),
        status == null ? null : status.stableRS(),
        status == null ? null : status.currentPodHash());
  }

  boolean fluxReady() {
    return "True".equals(ready.status());
  }

  /** The part a timeline prints: changes of anything but the time. */
  String line() {
    return "source %s | flux attempted %s applied %s Ready %s | rollout %s %s step %s weight %s \"%s\"".formatted(
        shortRev(fetched), shortRev(attempted), shortRev(applied), ready, image, phase, step, Objects.toString(weight, "-"),
        Objects.toString(rolloutMessage, ""));
  }

  /** main@sha1:0123456789... → 0123456 */
  static String shortRev(String revision) {
    if (revision == null) return "-";
    int colon = revision.lastIndexOf(':');
    String sha = colon < 0 ? revision : revision.substring(colon + 1);
    return sha.length() > 7 ? sha.substring(0, 7) : sha;
  }

  private static Object path(GenericKubernetesResource r, String... keys) {
    if (r == null) return null;
    Object node = r.getAdditionalProperties();
    for (String key : keys) {
      if (!(node instanceof Map<?, ?> map)) return null;
      node = map.get(key);
    }
    return node;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  private static Condition condition(GenericKubernetesResource r, String type) {
    if (!(path(r, "status", "conditions") instanceof List<?> conditions)) return Condition.NONE;
    return conditions.stream().filter(c -> c instanceof Map<?, ?> m && type.equals(m.get("type")))
        .map(c -> (Map<?, ?>) c)
        .map(m -> new Condition(str(m.get("status")), str(m.get("reason")), str(m.get("message"))))
        .findFirst().orElse(Condition.NONE);
  }
}

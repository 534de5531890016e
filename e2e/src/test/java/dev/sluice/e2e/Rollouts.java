package dev.sluice.e2e;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What a user does to a rollout (plain kubectl-style patches) and what they look at. */
public final class Rollouts {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient k8s;
  private final String namespace;

  public Rollouts(KubernetesClient k8s, String namespace) {
    this.k8s = k8s;
    this.namespace = namespace;
  }

  /** A rollout manifest: {@code steps} is YAML for spec.strategy.canary.steps (indented list items). */
  public static String manifest(String name, int replicas, String image, String extraSpec, String canaryExtra, String steps) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata:
          name: %s
        spec:
          replicas: %d
          selector:
            matchLabels: {app: %s}
          template:
            metadata:
              labels: {app: %s}
            spec:
              containers:
              - name: app
                image: %s
        %s
          strategy:
            canary:
        %s
              steps:
        %s
        """.formatted(name, replicas, name, name, image, indent(extraSpec, 2), indent(canaryExtra, 6), indent(steps, 6));
  }

  private static String indent(String block, int spaces) {
    if (block == null || block.isBlank()) return "";
    return block.strip().lines().map(l -> " ".repeat(spaces) + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  public void create(String yaml) {
    k8s.resource(yaml).inNamespace(namespace).create();
  }

  public Rollout get(String name) {
    return k8s.resources(Rollout.class).inNamespace(namespace).withName(name).get();
  }

  public RolloutStatus status(String name) {
    Rollout r = get(name);
    return r == null ? null : r.getStatus();
  }

  public void setImage(String name, String image) {
    k8s.resources(Rollout.class).inNamespace(namespace).withName(name).patch(MERGE,
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"%s\"}]}}}}".formatted(image));
  }

  public void patchSpec(String name, String mergePatchOfSpec) {
    k8s.resources(Rollout.class).inNamespace(namespace).withName(name).patch(MERGE, "{\"spec\":" + mergePatchOfSpec + "}");
  }

  public void patchStatus(String name, String mergePatchOfStatus) {
    k8s.resources(Rollout.class).inNamespace(namespace).withName(name).subresource("status")
        .patch(MERGE, "{\"status\":" + mergePatchOfStatus + "}");
  }

  /** kubectl sluice promote: clear the pause conditions (and a user pause). */
  public void promote(String name) {
    patchStatus(name, "{\"pauseConditions\":null}");
  }

  public void promoteFull(String name) {
    patchStatus(name, "{\"promoteFull\":true}");
  }

  public void abort(String name) {
    patchStatus(name, "{\"abort\":true}");
  }

  public void retry(String name) {
    patchStatus(name, "{\"abort\":false}");
  }

  /** An irrelevant change (an annotation) to a ReplicaSet: it wakes the controller up, nothing more. */
  public void touch(ReplicaSet rs) {
    k8s.apps().replicaSets().inNamespace(namespace).withName(rs.getMetadata().getName())
        .patch(MERGE, "{\"metadata\":{\"annotations\":{\"e2e.sluice.dev/touched\":\"" + System.nanoTime() + "\"}}}");
  }

  public List<ReplicaSet> replicaSets(String name) {
    return k8s.apps().replicaSets().inNamespace(namespace).withLabel("app", name).list().getItems().stream()
        .sorted(Comparator.comparing(rs -> rs.getMetadata().getName())).toList();
  }

  public Optional<ReplicaSet> replicaSet(String name, String hash) {
    return replicaSets(name).stream()
        .filter(rs -> hash.equals(rs.getMetadata().getLabels().get(SluiceLabels.POD_TEMPLATE_HASH))).findFirst();
  }

  /** ready pods per pod-template-hash, as a person counting Ready pods would see them */
  public Map<String, Integer> readyPodsByHash(String name) {
    Map<String, Integer> counts = new TreeMap<>();
    k8s.pods().inNamespace(namespace).withLabel("app", name).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .forEach(p -> counts.merge(p.getMetadata().getLabels().get(SluiceLabels.POD_TEMPLATE_HASH), 1, Integer::sum));
    return counts;
  }

  public static int specReplicas(Optional<ReplicaSet> rs) {
    return rs.map(r -> r.getSpec().getReplicas()).orElse(0);
  }

  public static boolean hasCondition(RolloutStatus status, String type, String value) {
    return status != null && status.conditions() != null
        && status.conditions().stream().anyMatch(c -> type.equals(c.type()) && value.equals(c.status()));
  }

  public static Optional<RolloutStatus.RolloutCondition> condition(RolloutStatus status, String type) {
    if (status == null || status.conditions() == null) return Optional.empty();
    return status.conditions().stream().filter(c -> type.equals(c.type())).findFirst();
  }

  public static Integer canaryWeight(RolloutStatus status) {
    if (status == null || status.canary() == null || status.canary().weights() == null
        || status.canary().weights().canary() == null) return null;
    return status.canary().weights().canary().weight();
  }
}

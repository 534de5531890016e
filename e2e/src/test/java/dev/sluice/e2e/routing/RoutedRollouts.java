package dev.sluice.e2e.routing;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Traffic-routed rollouts as a user drives them: manifests, plain patches for the user actions, and what they look at. */
final class RoutedRollouts {
  private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient k8s;
  private final String namespace;

  RoutedRollouts(KubernetesClient k8s, String namespace) {
    this.k8s = k8s;
    this.namespace = namespace;
  }

  /**
   * A rollout of {@code replicas} pods through {@code router}, with {@code steps} (YAML list items)
   * and extra canary fields ({@code canaryExtra}, YAML).
   */
  static String manifest(RouterFixture router, int replicas, int minReadySeconds, String canaryExtra, String steps) {
    String name = router.name();
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata:
          name: %1$s
        spec:
          replicas: %2$d
          minReadySeconds: %3$d
          selector:
            matchLabels: {app: %1$s}
          template:
            metadata:
              labels: {app: %1$s}
            spec:
              containers:
              - {name: app, image: registry.example/app:1.0}
          strategy:
            canary:
              canaryService: %1$s-canary
              stableService: %1$s-stable
        %4$s
              trafficRouting:
        %5$s
              steps:
        %6$s
        """.formatted(name, replicas, minReadySeconds, indent(canaryExtra, 6), indent(router.trafficRouting(), 8),
        indent(steps, 6));
  }

  private static String indent(String block, int spaces) {
    if (block == null || block.isBlank()) return "";
    return block.strip().lines().map(l -> " ".repeat(spaces) + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  /** Creates every object in a multi-document YAML. */
  void createAll(String yaml) {
    k8s.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).inNamespace(namespace).create();
  }

  Rollout get(String name) {
    return k8s.resources(Rollout.class).inNamespace(namespace).withName(name).get();
  }

  RolloutStatus status(String name) {
    Rollout r = get(name);
    return r == null ? null : r.getStatus();
  }

  /** status.phase, or null before the controller has written a status. */
  String phase(String name) {
    RolloutStatus s = status(name);
    return s == null ? null : s.phase();
  }

  void setImage(String name, String image) {
    k8s.resources(Rollout.class).inNamespace(namespace).withName(name).patch(MERGE,
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"%s\"}]}}}}".formatted(image));
  }

  /** kubectl sluice promote: clear the pause conditions. */
  void promote(String name) {
    patchStatus(name, "{\"pauseConditions\":null}");
  }

  /** kubectl sluice abort; returns the resourceVersion of the write (where the abort sits in the cluster's history). */
  long abort(String name) {
    return Long.parseLong(patchStatus(name, "{\"abort\":true}").getMetadata().getResourceVersion());
  }

  private Rollout patchStatus(String name, String mergePatchOfStatus) {
    return k8s.resources(Rollout.class).inNamespace(namespace).withName(name).subresource("status")
        .patch(MERGE, "{\"status\":" + mergePatchOfStatus + "}");
  }

  Optional<ReplicaSet> replicaSet(String name, String hash) {
    return k8s.apps().replicaSets().inNamespace(namespace).withLabel("app", name).list().getItems().stream()
        .filter(rs -> hash.equals(rs.getMetadata().getLabels().get(SluiceLabels.POD_TEMPLATE_HASH))).findFirst();
  }

  int specReplicas(String name, String hash) {
    return replicaSet(name, hash).map(rs -> rs.getSpec().getReplicas()).orElse(0);
  }

  /** Ready pods per pod-template-hash, as a person counting Ready pods would see them. */
  Map<String, Integer> readyPodsByHash(String name) {
    Map<String, Integer> counts = new TreeMap<>();
    k8s.pods().inNamespace(namespace).withLabel("app", name).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .forEach(p -> counts.merge(p.getMetadata().getLabels().get(SluiceLabels.POD_TEMPLATE_HASH), 1, Integer::sum));
    return counts;
  }

  /** The pod-template-hash a Service's selector is pinned to. */
  String pinnedHash(String service) {
    var svc = k8s.services().inNamespace(namespace).withName(service).get();
    return svc == null || svc.getSpec().getSelector() == null ? null : svc.getSpec().getSelector().get(SluiceLabels.POD_TEMPLATE_HASH);
  }

  static boolean hasCondition(RolloutStatus status, String type, String value) {
    return status != null && status.conditions() != null
        && status.conditions().stream().anyMatch(c -> type.equals(c.type()) && value.equals(c.status()));
  }

  static Optional<RolloutStatus.RolloutCondition> condition(RolloutStatus status, String type) {
    if (status == null || status.conditions() == null) return Optional.empty();
    return status.conditions().stream().filter(c -> type.equals(c.type())).findFirst();
  }

  static Integer statusCanaryWeight(RolloutStatus status) {
    if (status == null || status.canary() == null || status.canary().weights() == null
        || status.canary().weights().canary() == null) return null;
    return status.canary().weights().canary().weight();
  }
}

package dev.sluice.e2e.bluegreen;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * previewMetadata, activeMetadata and a required antiAffinity on the real cluster: the preview's
 * pods carry the preview's labels and annotations and are scheduled (by the real scheduler) only
 * on nodes without the active's pods; at promotion the same pods (same UIDs) take the active's
 * metadata and their ReplicaSet loses the anti-affinity. What the pods carry is printed.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlueGreenPodRolesE2ETest extends BlueGreenE2E {
  private static final String NAME = "bg-roles";

  private List<Pod> pods(String hash) {
    return k8s.pods().inNamespace(namespace).withLabel("sluice.dev/pod-template-hash", hash).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private Set<String> uids(String hash) {
    return pods(hash).stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
  }

  private Set<String> nodes(String hash) {
    return pods(hash).stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet());
  }

  private boolean allPods(String hash, int count, String role, String annotation) {
    List<Pod> pods = pods(hash);
    return pods.size() == count && pods.stream().allMatch(p -> role.equals(p.getMetadata().getLabels().get("role"))
        && (annotation == null ? p.getMetadata().getAnnotations() == null || !p.getMetadata().getAnnotations().containsKey("example.com/preview")
            : p.getMetadata().getAnnotations() != null && annotation.equals(p.getMetadata().getAnnotations().get("example.com/preview"))));
  }

  private void print(String stage, Map<String, String> hashes) {
    System.out.printf("[bg-pod-roles] %s%n", stage);
    hashes.forEach((what, hash) -> {
      for (Pod p : pods(hash)) {
        var annotations = p.getMetadata().getAnnotations() == null ? Map.of() : new TreeMap<>(p.getMetadata().getAnnotations());
        System.out.printf("[bg-pod-roles]   %s pod %s uid=%s node=%s labels=%s annotations=%s%n", what, p.getMetadata().getName(),
            p.getMetadata().getUid(), p.getSpec().getNodeName(), new TreeMap<>(p.getMetadata().getLabels()), annotations);
      }
    });
  }

  private Affinity templateAffinity(String hash) {
    return rollouts.replicaSet(NAME, hash).orElseThrow().getSpec().getTemplate().getSpec().getAffinity();
  }

  @Test
  void previewPodsCarryPreviewMetadataAwayFromTheActivePodsThenTheActiveMetadataInPlace() {
    blueGreen.createServices(NAME);
    blueGreen.create(BlueGreenRollouts.manifest(NAME, 2, 0, """
        autoPromotionEnabled: false
        activeMetadata:
          labels: {role: active}
        previewMetadata:
          labels: {role: preview}
          annotations: {example.com/preview: "true"}
        antiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution: {}"""));
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      RolloutStatus s = rollouts.status(NAME);
      return s != null && hasCondition(s, "Healthy", "True") && s.stableRS() != null && allPods(s.stableRS(), 2, "active", null);
    });
    String active = rollouts.status(NAME).stableRS();
    print("first deploy: Healthy", Map.of("active", active));
    assertThat(templateAffinity(active)).isNull();

    rollouts.setImage(NAME, "registry.example/app:2.0");
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      RolloutStatus s = rollouts.status(NAME);
      return "Paused".equals(s.phase()) && !active.equals(s.currentPodHash())
          && rollouts.readyPodsByHash(NAME).getOrDefault(s.currentPodHash(), 0) == 2;
    });
    String preview = rollouts.status(NAME).currentPodHash();
    await().atMost(Duration.ofSeconds(30)).until(() -> allPods(preview, 2, "preview", "true") && allPods(active, 2, "active", null));
    print("preview up, paused until promoted", Map.of("active", active, "preview", preview));
    var required = templateAffinity(preview).getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    assertThat(required).hasSize(1);
    assertThat(required.get(0).getTopologyKey()).isEqualTo("kubernetes.io/hostname");
    assertThat(required.get(0).getLabelSelector().getMatchExpressions().get(0).getValues()).containsExactly(active);
    assertThat(nodes(preview)).as("required anti-affinity: no preview pod beside an active pod").doesNotContainAnyElementsOf(nodes(active));
    System.out.printf("[bg-pod-roles]   preview ReplicaSet's required anti-affinity to pods %s on %s; active pods on %s, preview pods on %s%n",
        active, required.get(0).getTopologyKey(), new java.util.TreeSet<>(nodes(active)), new java.util.TreeSet<>(nodes(preview)));
    Set<String> previewUids = uids(preview);

    rollouts.promote(NAME);
    await().atMost(Duration.ofSeconds(90)).until(() -> {
      RolloutStatus s = rollouts.status(NAME);
      return preview.equals(s.stableRS()) && allPods(preview, 2, "active", null);
    });
    print("promoted: the preview is the active", Map.of("old active", active, "active", preview));
    assertThat(uids(preview)).as("the same pods, relabelled in place").isEqualTo(previewUids);
    assertThat(templateAffinity(preview)).as("anti-affinity removed once it is the active").isNull();
    assertThat(rollouts.replicaSet(NAME, preview).orElseThrow().getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("role", "active");
  }
}

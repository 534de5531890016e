package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * canaryMetadata, stableMetadata and antiAffinity on the real cluster: the labels and annotations
 * of the canary's and the stable's pods before and after an abort, a retry and the promotion, on
 * the same pods (same UIDs: changed in place, never restarted), and the anti-affinity the canary's
 * ReplicaSet gets to the stable's pods and loses once it is the stable. What the pods carry is
 * printed at each stage.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodRolesE2ETest {
  private static final String NAME = "roles";
  private static final String ROLES = """
      canaryMetadata:
        labels: {role: canary}
        annotations: {example.com/phase: trying}
      stableMetadata:
        labels: {role: stable}
        annotations: {example.com/phase: serving}
      antiAffinity:
        preferredDuringSchedulingIgnoredDuringExecution: {weight: 100}""";

  private ControllerInJvm controller;
  private Rollouts rollouts;
  private KubernetesClient k8s;
  private String ns;

  @BeforeAll
  void startController(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    controller = new ControllerInJvm(cluster, ns.name());
    rollouts = new Rollouts(k8s, ns.name());
    this.k8s = k8s;
    this.ns = ns.name();
  }

  @AfterAll
  void stopController() {
    if (controller != null) controller.close();
  }

  private static ConditionFactory within(int seconds) {
    return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(200));
  }

  private List<Pod> pods(String hash) {
    return k8s.pods().inNamespace(ns).withLabel("sluice.dev/pod-template-hash", hash).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
  }

  private Set<String> uids(String hash) {
    return pods(hash).stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
  }

  private static String role(Pod pod) {
    return pod.getMetadata().getLabels().get("role");
  }

  private static String phase(Pod pod) {
    return pod.getMetadata().getAnnotations() == null ? null : pod.getMetadata().getAnnotations().get("example.com/phase");
  }

  private boolean allPods(String hash, int count, String role, String phase) {
    List<Pod> pods = pods(hash);
    return pods.size() == count && pods.stream().allMatch(p -> role.equals(role(p)) && phase.equals(phase(p)));
  }

  private void print(String stage, String stable, String canary) {
    System.out.printf("[pod-roles] %s%n", stage);
    for (String hash : canary == null ? List.of(stable) : List.of(stable, canary)) {
      for (Pod p : pods(hash)) {
        var labels = new TreeMap<>(p.getMetadata().getLabels());
        var annotations = p.getMetadata().getAnnotations() == null ? Map.of() : new TreeMap<>(p.getMetadata().getAnnotations());
        System.out.printf("[pod-roles]   %s pod %s uid=%s labels=%s annotations=%s%n", hash.equals(stable) ? "stable" : "canary",
            p.getMetadata().getName(), p.getMetadata().getUid(), labels, annotations);
      }
    }
  }

  private Affinity templateAffinity(String hash) {
    ReplicaSet rs = rollouts.replicaSet(NAME, hash).orElseThrow();
    return rs.getSpec().getTemplate().getSpec().getAffinity();
  }

  @Test
  void rolePodsCarryTheirMetadataAndMoveInPlaceAtAbortRetryAndPromotion() {
    rollouts.create(Rollouts.manifest(NAME, 3, "registry.example/app:1.0", "", ROLES, "- setWeight: 33\n- pause: {}"));
    within(90).until(() -> {
      RolloutStatus s = rollouts.status(NAME);
      return s != null && hasCondition(s, "Healthy", "True") && s.stableRS() != null;
    });
    String stable = rollouts.status(NAME).stableRS();
    within(60).until(() -> allPods(stable, 3, "stable", "serving"));
    print("first deploy: Healthy", stable, null);
    assertThat(templateAffinity(stable)).as("no anti-affinity on the first deploy").isNull();
    assertThat(rollouts.replicaSet(NAME, stable).orElseThrow().getMetadata().getLabels()).doesNotContainKey("role");
    Set<String> stableUids = uids(stable);

    rollouts.setImage(NAME, "registry.example/app:2.0");
    within(90).until(() -> {
      RolloutStatus s = rollouts.status(NAME);
      return "Paused".equals(s.phase()) && !stable.equals(s.currentPodHash()) && rollouts.readyPodsByHash(NAME).getOrDefault(s.currentPodHash(), 0) == 1;
    });
    String canary = rollouts.status(NAME).currentPodHash();
    within(30).until(() -> allPods(canary, 1, "canary", "trying") && allPods(stable, 3, "stable", "serving"));
    print("update paused at setWeight 33", stable, canary);
    Set<String> canaryUids = uids(canary);
    assertThat(uids(stable)).isEqualTo(stableUids);
    var injected = templateAffinity(canary).getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    assertThat(injected).hasSize(1);
    assertThat(injected.get(0).getWeight()).isEqualTo(100);
    assertThat(injected.get(0).getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
    var expression = injected.get(0).getPodAffinityTerm().getLabelSelector().getMatchExpressions().get(0);
    assertThat(expression.getKey()).isEqualTo("sluice.dev/pod-template-hash");
    assertThat(expression.getOperator()).isEqualTo("In");
    assertThat(expression.getValues()).containsExactly(stable);
    Pod canaryPod = pods(canary).get(0);
    assertThat(canaryPod.getSpec().getAffinity()).isEqualTo(templateAffinity(canary));
    System.out.printf("[pod-roles]   canary ReplicaSet's pod anti-affinity: weight %d, topologyKey %s, %s %s %s; canary pod on %s, stable pods on %s%n",
        injected.get(0).getWeight(), injected.get(0).getPodAffinityTerm().getTopologyKey(), expression.getKey(), expression.getOperator(),
        expression.getValues(), canaryPod.getSpec().getNodeName(),
        pods(stable).stream().map(p -> p.getSpec().getNodeName()).sorted().toList());

    rollouts.abort(NAME);
    within(60).until(() -> "Degraded".equals(rollouts.status(NAME).phase()));
    // abortScaleDownDelaySeconds (30 s) keeps the canary's pods: as in Argo Rollouts they keep the canary's metadata
    assertThat(allPods(canary, 1, "canary", "trying")).isTrue();
    assertThat(allPods(stable, 3, "stable", "serving")).isTrue();
    print("aborted", stable, canary);
    assertThat(uids(canary)).isEqualTo(canaryUids);
    assertThat(uids(stable)).isEqualTo(stableUids);

    rollouts.retry(NAME);
    within(60).until(() -> "Paused".equals(rollouts.status(NAME).phase()) && rollouts.readyPodsByHash(NAME).getOrDefault(canary, 0) == 1);
    print("retried: paused at setWeight 33 again", stable, canary);
    assertThat(uids(canary)).isEqualTo(canaryUids);
    assertThat(allPods(canary, 1, "canary", "trying")).isTrue();

    rollouts.promote(NAME);
    within(90).until(() -> {
      RolloutStatus s = rollouts.status(NAME);
      return hasCondition(s, "Healthy", "True") && canary.equals(s.stableRS()) && allPods(canary, 3, "stable", "serving");
    });
    print("promoted: the canary is the stable", canary, null);
    assertThat(uids(canary)).as("the canary's first pod was relabelled, not replaced").containsAll(canaryUids);
    assertThat(templateAffinity(canary)).as("anti-affinity removed once it is the stable").isNull();
    ReplicaSet promoted = rollouts.replicaSet(NAME, canary).orElseThrow();
    assertThat(promoted.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("role", "stable");
    assertThat(promoted.getMetadata().getLabels()).containsEntry("sluice.dev/pod-template-hash", canary).doesNotContainKey("role");
    System.out.printf("[pod-roles]   promoted ReplicaSet %s: template labels %s, annotations %s, affinity %s%n",
        promoted.getMetadata().getName(), new TreeMap<>(promoted.getSpec().getTemplate().getMetadata().getLabels()),
        new TreeMap<>(promoted.getSpec().getTemplate().getMetadata().getAnnotations()), promoted.getSpec().getTemplate().getSpec().getAffinity());
  }
}

package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.condition;
import static dev.sluice.e2e.Rollouts.specReplicas;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Objects;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The stable ReplicaSet deleted or relabelled by hand while an update is at a pause: the update
 * stops (Progressing=False, StableReplicaSetNotFound, the step kept) instead of promoting the canary
 * to 100% as if it were a first deploy; it goes on as the person decides.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StableReplicaSetGoneE2ETest {
  private static final String STEPS = """
      - setWeight: 25
      - pause: {}
      - setWeight: 50
      - pause: {}
      """;

  private ControllerInJvm controller;
  private KubernetesClient k8s;
  private String namespace;
  private Rollouts rollouts;

  @BeforeAll
  void startController(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    controller = new ControllerInJvm(cluster, ns.name());
    this.k8s = k8s;
    this.namespace = ns.name();
    rollouts = new Rollouts(k8s, ns.name());
  }

  @AfterAll
  void stopController() {
    if (controller != null) controller.close();
  }

  private static ConditionFactory within(int seconds) {
    return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100));
  }

  /** Deployed, updated and paused at the first pause: returns {stable hash, canary hash}. */
  private String[] pausedAtTheFirstPause(String name) {
    rollouts.create(Rollouts.manifest(name, 4, "registry.example/app:1.0", "", "", STEPS));
    within(60).until(() -> rollouts.status(name) != null && "Healthy".equals(rollouts.status(name).phase()));
    String stable = rollouts.status(name).stableRS();
    rollouts.setImage(name, "registry.example/app:2.0");
    within(60).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return Objects.equals(s.currentStepIndex(), 1) && "Paused".equals(s.phase()) && !stable.equals(s.currentPodHash());
    });
    return new String[] {stable, rollouts.status(name).currentPodHash()};
  }

  private RolloutStatus awaitStopped(String name) {
    within(30).until(() -> condition(rollouts.status(name), "Progressing")
        .filter(c -> "StableReplicaSetNotFound".equals(c.reason())).isPresent());
    return rollouts.status(name);
  }

  /** Nothing moves for a while: the canary keeps its 1 pod, the step and the stable hash stay. */
  private void assertHeld(String name, String stable, String canary) {
    await("nothing moves while the stable is gone").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200)).until(() -> {
          RolloutStatus s = rollouts.status(name);
          return specReplicas(rollouts.replicaSet(name, canary)) == 1 && stable.equals(s.stableRS())
              && Objects.equals(s.currentStepIndex(), 1) && "Degraded".equals(s.phase());
        });
  }

  @Test
  void aDeletedStableStopsTheUpdateAtItsStepUntilAPromoteFull() {
    String[] hashes = pausedAtTheFirstPause("deleted");
    String stable = hashes[0];
    String canary = hashes[1];

    k8s.apps().replicaSets().inNamespace(namespace).withName("deleted-" + stable).delete();
    RolloutStatus stopped = awaitStopped("deleted");

    assertThat(stopped.phase()).isEqualTo("Degraded");
    assertThat(stopped.message()).startsWith("StableReplicaSetNotFound: stable ReplicaSet \"deleted-" + stable + "\"")
        .contains("promote --full");
    assertThat(stopped.stableRS()).isEqualTo(stable);
    assertThat(stopped.currentStepIndex()).isEqualTo(1);
    assertHeld("deleted", stable, canary);

    rollouts.promote("deleted");
    assertHeld("deleted", stable, canary);

    rollouts.promoteFull("deleted");
    within(60).until(() -> {
      RolloutStatus s = rollouts.status("deleted");
      return "Healthy".equals(s.phase()) && canary.equals(s.stableRS());
    });
    assertThat(specReplicas(rollouts.replicaSet("deleted", canary))).isEqualTo(4);
  }

  @Test
  void aRelabelledStableStopsTheUpdateAndItResumesWhenTheLabelIsBack() {
    String[] hashes = pausedAtTheFirstPause("relabelled");
    String stable = hashes[0];
    String canary = hashes[1];
    var stableRs = k8s.apps().replicaSets().inNamespace(namespace).withName("relabelled-" + stable);
    int stablePods = stableRs.get().getSpec().getReplicas();

    stableRs.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/metadata/labels/"
        + SluiceLabels.POD_TEMPLATE_HASH.replace("/", "~1") + "\"}]");
    RolloutStatus stopped = awaitStopped("relabelled");
    assertThat(stopped.currentStepIndex()).isEqualTo(1);
    assertHeld("relabelled", stable, canary);

    stableRs.patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"metadata\":{\"labels\":{\"" + SluiceLabels.POD_TEMPLATE_HASH + "\":\"" + stable + "\"}}}");
    within(30).until(() -> {
      RolloutStatus s = rollouts.status("relabelled");
      return "Paused".equals(s.phase()) && Objects.equals(s.currentStepIndex(), 1);
    });
    ReplicaSet back = stableRs.get();
    assertThat(back.getSpec().getReplicas()).as("the stable kept its pods").isEqualTo(stablePods);
    assertThat(specReplicas(rollouts.replicaSet("relabelled", canary))).isEqualTo(1);
  }
}

package dev.sluice.e2e.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.e2e.ControllerInJvm;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Pods;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.State;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What a blue-green test class with the controller in the test JVM needs: the real controller
 * watching the class's namespace and the user's view of its rollouts. Subclasses are
 * {@code @RealCluster} and {@code @TestInstance(PER_CLASS)}.
 */
abstract class BlueGreenE2E {
  protected KubernetesClient k8s;
  protected String namespace;
  protected BlueGreenRollouts blueGreen;
  protected Rollouts rollouts;
  private ControllerInJvm controller;

  @BeforeAll
  void startController(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    this.k8s = k8s;
    namespace = ns.name();
    blueGreen = new BlueGreenRollouts(k8s, namespace, cluster.kubeconfig());
    rollouts = new Rollouts(k8s, namespace);
    controller = new ControllerInJvm(cluster, namespace);
  }

  /** Waits until the rollout is Healthy with both Services on its stable ReplicaSet, all pods available; returns that hash. */
  protected static String awaitSteady(BlueGreenTimeline timeline, int replicas) {
    State steady = timeline.await(90, "steady: Healthy, both Services on the stable ReplicaSet", s ->
        "Healthy".equals(s.phase()) && s.status().stableRS() != null && s.status().stableRS().equals(s.active())
            && s.status().stableRS().equals(s.preview()) && s.pods(s.active()).available() == replicas);
    String stable = steady.status().stableRS();
    assertThat(steady.pods(stable)).isEqualTo(new Pods(replicas, replicas, replicas));
    assertThat(steady.activeSelector()).isEqualTo(stable);
    assertThat(steady.previewSelector()).isEqualTo(stable);
    return stable;
  }

  /** Waits until the update to a new template has started; returns the new hash. */
  protected static String awaitUpdate(BlueGreenTimeline timeline, String stable) {
    return timeline.await(60, "update started", s -> s.status() != null && s.status().currentPodHash() != null
        && !stable.equals(s.status().currentPodHash())).status().currentPodHash();
  }

  @AfterAll
  void stopController() {
    if (controller != null) controller.close();
  }
}

package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The local control plane behaves like a real cluster: controllers, garbage collection, KWOK. */
@RealCluster
class ControlPlaneTest {

  private static Deployment deployment(String name, String image, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
        .endTemplate().endSpec().build();
  }

  @Test
  void deploymentGetsReadyPodsAndDeletingItCollectsItsReplicaSetAndPods(KubernetesClient k8s, TestNamespace ns) {
    k8s.resource(deployment("web", "registry.example/web:1.0", 3)).inNamespace(ns.name()).create();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      var pods = k8s.pods().inNamespace(ns.name()).withLabel("app", "web").list().getItems();
      assertThat(pods).hasSize(3).allSatisfy(p -> {
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(p.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
      });
      assertThat(k8s.apps().deployments().inNamespace(ns.name()).withName("web").get().getStatus().getReadyReplicas()).isEqualTo(3);
    });
    assertThat(k8s.apps().replicaSets().inNamespace(ns.name()).withLabel("app", "web").list().getItems()).hasSize(1);

    k8s.apps().deployments().inNamespace(ns.name()).withName("web").delete();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(k8s.apps().replicaSets().inNamespace(ns.name()).withLabel("app", "web").list().getItems()).isEmpty();
      assertThat(k8s.pods().inNamespace(ns.name()).withLabel("app", "web").list().getItems()).isEmpty();
    });
  }

  @Test
  void crashloopImageRunsButNeverBecomesReady(KubernetesClient k8s, TestNamespace ns) {
    k8s.resource(deployment("bad", "registry.example/web:crashloop", 1)).inNamespace(ns.name()).create();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      var pods = k8s.pods().inNamespace(ns.name()).withLabel("app", "bad").list().getItems();
      assertThat(pods).singleElement().satisfies(p -> {
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        assertThat(p.getStatus().getContainerStatuses()).singleElement()
            .satisfies(cs -> assertThat(cs.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff"));
        assertThat(p.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("False"));
      });
    });
    assertThat(k8s.apps().deployments().inNamespace(ns.name()).withName("bad").get().getStatus().getAvailableReplicas()).isNull();
  }
}

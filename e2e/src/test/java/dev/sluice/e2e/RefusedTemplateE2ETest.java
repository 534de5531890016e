package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Argo Rollouts' "expected failure" shapes on the real API server: a pod template the server
 * refuses as a ReplicaSet (a malformed quantity, two containers of one name) ends in InvalidSpec,
 * phase Degraded and the server's own message on the Rollout, not only in the controller's log.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusedTemplateE2ETest {
  private ControllerInJvm controller;
  private Rollouts rollouts;
  private KubernetesClient k8s;
  private String namespace;

  @BeforeAll
  void startController(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    controller = new ControllerInJvm(cluster, ns.name());
    rollouts = new Rollouts(k8s, ns.name());
    this.k8s = k8s;
    this.namespace = ns.name();
  }

  @AfterAll
  void stopController() {
    if (controller != null) controller.close();
  }

  private RolloutStatus awaitInvalidSpec(String name) {
    AtomicReference<RolloutStatus> seen = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      RolloutStatus s = rollouts.status(name);
      seen.set(s);
      return s != null && "Degraded".equals(s.phase()) && Rollouts.hasCondition(s, "InvalidSpec", "True");
    });
    RolloutStatus s = seen.get();
    System.out.printf("[%s] phase=%s message=%s%n", name, s.phase(), s.message());
    return s;
  }

  @Test
  void aMalformedMemoryRequestIsInvalidSpecWithTheApiServersMessage() {
    rollouts.create("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: malformed}
        spec:
          replicas: 2
          selector: {matchLabels: {app: malformed}}
          template:
            metadata: {labels: {app: malformed}}
            spec:
              containers:
              - name: app
                image: registry.example/app:1.0
                resources: {requests: {memory: invalid}}
          strategy: {canary: {steps: [{setWeight: 50}, {pause: {}}]}}
        """);

    RolloutStatus s = awaitInvalidSpec("malformed");

    assertThat(s.message()).startsWith("spec.template: the API server refused to create ReplicaSet \"malformed-")
        .contains("quantities must match the regular expression");
    assertThat(Rollouts.condition(s, "InvalidSpec").orElseThrow().message()).isEqualTo(s.message());
    assertThat(rollouts.replicaSets("malformed")).isEmpty();
    assertThat(k8s.v1().events().inNamespace(namespace).list().getItems())
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("InvalidSpec");
          assertThat(e.getMessage()).contains("quantities must match the regular expression");
        });
  }

  @Test
  void duplicateContainerNamesInAnUpdateAreInvalidSpecAndTheStableKeepsServing() {
    rollouts.create(Rollouts.manifest("duplicate", 2, "registry.example/app:1.0", "", "", "- setWeight: 50\n- pause: {}"));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> rollouts.status("duplicate") != null && "Healthy".equals(rollouts.status("duplicate").phase()));
    String stable = rollouts.status("duplicate").stableRS();

    rollouts.patchSpec("duplicate", """
        {"template":{"spec":{"containers":[{"name":"app","image":"registry.example/app:2.0"},
          {"name":"app","image":"registry.example/sidecar:1.0"}]}}}""");

    RolloutStatus s = awaitInvalidSpec("duplicate");
    assertThat(s.message()).startsWith("spec.template: the API server refused to create ReplicaSet \"duplicate-")
        .contains("Duplicate value: \"app\"");
    assertThat(s.stableRS()).isEqualTo(stable);
    assertThat(rollouts.readyPodsByHash("duplicate")).containsEntry(stable, 2);
  }
}

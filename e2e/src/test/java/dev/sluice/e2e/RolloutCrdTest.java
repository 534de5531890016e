package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** The committed CRD, as the API server serves it: schema validation and printer columns. */
@RealCluster
class RolloutCrdTest {

  private static final String VALID = """
      apiVersion: sluice.dev/v1alpha1
      kind: Rollout
      metadata:
        name: %s
      spec:
        replicas: %s
        selector:
          matchLabels: {app: demo}
        template:
          metadata:
            labels: {app: demo}
          spec:
            containers:
            - name: app
              image: registry.example/demo:1.0
        strategy:
          canary:
            steps:
            - setWeight: 20
            - pause: {duration: 10s}
            - pause: {}
      """;

  @Test
  void rolloutViolatingTheSchemaIsRejectedWithAClearMessage(KubernetesClient k8s, TestNamespace ns) {
    String wrongType = VALID.formatted("bad-replicas", "\"three\"");
    assertThatThrownBy(() -> k8s.resource(wrongType).inNamespace(ns.name()).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.replicas")
        .hasMessageContaining("must be of type integer");

    String noSelector = VALID.formatted("no-selector", "2").replace("  selector:\n    matchLabels: {app: demo}\n", "");
    assertThatThrownBy(() -> k8s.resource(noSelector).inNamespace(ns.name()).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.selector")
        .hasMessageContaining("Required value");

    assertThat(k8s.resources(Rollout.class).inNamespace(ns.name()).list().getItems())
        .extracting(r -> r.getMetadata().getName()).doesNotContain("bad-replicas", "no-selector");
  }

  @Test
  void validRolloutIsStoredAndListedWithPrinterColumns(KubernetesClient k8s, LocalCluster cluster, TestNamespace ns) {
    k8s.resource(VALID.formatted("demo", "2")).inNamespace(ns.name()).create();

    Rollout stored = k8s.resources(Rollout.class).inNamespace(ns.name()).withName("demo").get();
    assertThat(stored.getSpec().replicas()).isEqualTo(2);
    assertThat(stored.getSpec().strategy().canary().steps()).hasSize(3);
    assertThat(stored.getSpec().strategy().canary().steps().get(1).pause().duration().getStrVal()).isEqualTo("10s");

    String table = cluster.kubectl("get", "rollouts.sluice.dev", "-n", ns.name());
    assertThat(table.lines().findFirst().orElseThrow().split("\\s+"))
        .contains("NAME", "DESIRED", "CURRENT", "UP-TO-DATE", "AVAILABLE", "PHASE", "STEP", "WEIGHT", "AGE");
    assertThat(table).contains("demo");
  }
}

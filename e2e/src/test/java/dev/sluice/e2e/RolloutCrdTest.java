package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs, as the API server serves them: schema validation (also of the numbers the
 * model could not read) and printer columns.
 */
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

  /** A canary rollout; {@code canary} is flow YAML inside strategy.canary, {@code container} more of the container's fields. */
  private static String withCanary(String name, String canary, String container) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: %s}
        spec:
          replicas: 2
          selector: {matchLabels: {app: demo}}
          template:
            metadata: {labels: {app: demo}}
            spec:
              containers:
              - {name: app, image: registry.example/demo:1.0%s}
          strategy:
            canary: {%s}
        """.formatted(name, container, canary);
  }

  @Test
  void anIntOrStringBeyondAnIntIsRefusedNamingTheFieldAndTheBound(KubernetesClient k8s, TestNamespace ns) {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put(withCanary("surge", "maxSurge: 9000000000, steps: [{setWeight: 50}]", ""),
        "spec.strategy.canary.maxSurge in body should be less than or equal to 2147483647");
    refused.put(withCanary("unavailable", "maxUnavailable: -9000000000, steps: [{setWeight: 50}]", ""),
        "spec.strategy.canary.maxUnavailable in body should be greater than or equal to -2147483648");
    refused.put(withCanary("pause", "steps: [{setWeight: 50}, {pause: {duration: 9000000000}}]", ""),
        "spec.strategy.canary.steps[1].pause.duration in body should be less than or equal to 2147483647");
    refused.put(withCanary("probe", "steps: [{setWeight: 50}]", ", readinessProbe: {httpGet: {port: 9000000000}}"),
        "spec.template.spec.containers[0].readinessProbe.httpGet.port in body should be less than or equal to 2147483647");
    refused.put("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: count}
        spec:
          metrics:
          - name: smoke
            count: 9000000000
            provider: {web: {url: 'http://smoke.example/health'}}
        """, "spec.metrics[0].count in body should be less than or equal to 2147483647");
    refused.forEach((yaml, message) -> {
      // untyped, as kubectl sends it: the typed model could not even hold the number
      var untyped = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
      assertThatThrownBy(() -> k8s.resource(untyped).inNamespace(ns.name()).create())
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).isEqualTo(422);
            assertThat(e.getMessage()).contains(message);
          });
    });
    assertThat(k8s.resources(Rollout.class).inNamespace(ns.name()).list().getItems())
        .extracting(r -> r.getMetadata().getName()).doesNotContain("surge", "unavailable", "pause", "probe");

    // the values users write still go in: a percent, an int, zero, and a string port
    k8s.resource(withCanary("percent", "maxSurge: '25%', maxUnavailable: 0, steps: [{setWeight: 50}, {pause: {duration: 30}}]",
        ", readinessProbe: {httpGet: {port: http}}")).inNamespace(ns.name()).create();
    k8s.resource(withCanary("one", "maxSurge: 1, maxUnavailable: '10%', steps: [{setWeight: 50}, {pause: {duration: 1h}}]",
        ", readinessProbe: {httpGet: {port: 8080}}")).inNamespace(ns.name()).create();
    var percent = k8s.resources(Rollout.class).inNamespace(ns.name()).withName("percent").get().getSpec().strategy().canary();
    var one = k8s.resources(Rollout.class).inNamespace(ns.name()).withName("one").get().getSpec().strategy().canary();
    assertThat(percent.maxSurge().getStrVal()).isEqualTo("25%");
    assertThat(percent.maxUnavailable().getIntVal()).isZero();
    assertThat(percent.steps().get(1).pause().duration().getIntVal()).isEqualTo(30);
    assertThat(one.maxSurge().getIntVal()).isEqualTo(1);
    assertThat(one.maxUnavailable().getStrVal()).isEqualTo("10%");
    assertThat(one.steps().get(1).pause().duration().getStrVal()).isEqualTo("1h");
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

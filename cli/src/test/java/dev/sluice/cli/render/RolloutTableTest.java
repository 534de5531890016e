package dev.sluice.cli.render;

import static dev.sluice.cli.render.Fixtures.rollout;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutTableTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private static String rolloutYaml(String namespace, String name, String status) {
    return """
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: %s, namespace: %s, creationTimestamp: "2025-03-01T09:00:00Z"}
        spec:
          replicas: 3
          selector: {matchLabels: {app: x}}
          strategy: {canary: {steps: [{setWeight: 20}, {pause: {}}]}}
        %s
        """.formatted(name, namespace, status);
  }

  @Test
  void oneRowPerRolloutSortedByNamespaceAndName() {
    var paused = rollout(rolloutYaml("shop", "web", """
        status: {phase: Paused, currentStepIndex: 1, readyReplicas: 4, availableReplicas: 4,
                 canary: {weights: {canary: {weight: 20}, stable: {weight: 80}}}}
        """));
    var aborted = rollout(rolloutYaml("shop", "api", "status: {phase: Degraded, abort: true, currentStepIndex: 0, readyReplicas: 3}"));
    var fresh = rollout(rolloutYaml("billing", "worker", ""));

    assertThat(RolloutTable.render(List.of(paused, aborted, fresh), true, NOW)).isEqualTo("""
        NAMESPACE  NAME    STRATEGY  STATUS              STEP  WEIGHT  READY  AVAILABLE  AGE
        billing    worker  Canary    -                   -/2   -       0/3    0          3h
        shop       api     Canary    Degraded (aborted)  1/2   -       3/3    0          3h
        shop       web     Canary    Paused              2/2   20      4/3    4          3h
        """);
  }

  @Test
  void withoutAllNamespacesTheNamespaceColumnIsLeftOut() {
    var done = rollout(rolloutYaml("shop", "web", "status: {phase: Healthy, currentStepIndex: 2, readyReplicas: 3, availableReplicas: 3}"));

    assertThat(RolloutTable.render(List.of(done), false, NOW)).isEqualTo("""
        NAME  STRATEGY  STATUS   STEP  WEIGHT  READY  AVAILABLE  AGE
        web   Canary    Healthy  2/2   -       3/3    3          3h
        """);
  }

  @Test
  void aBlueGreenRolloutHasItsStrategyAndNoStepOrWeight() {
    var blueGreen = rollout("""
        apiVersion: sluice.dev/v1alpha1
        kind: Rollout
        metadata: {name: shop, namespace: prod, creationTimestamp: "2025-03-01T09:00:00Z"}
        spec:
          replicas: 3
          selector: {matchLabels: {app: shop}}
          strategy: {blueGreen: {activeService: shop-active, previewService: shop-preview}}
        status: {phase: Paused, readyReplicas: 4, availableReplicas: 4, blueGreen: {activeSelector: 5d8b, previewSelector: 7c9f}}
        """);

    assertThat(RolloutTable.render(List.of(blueGreen), false, NOW)).isEqualTo("""
        NAME  STRATEGY   STATUS  STEP  WEIGHT  READY  AVAILABLE  AGE
        shop  BlueGreen  Paused  -     -       4/3    4          3h
        """);
  }
}

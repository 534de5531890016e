package dev.sluice.cli.render;

import static dev.sluice.cli.render.Fixtures.analysisRun;
import static dev.sluice.cli.render.Fixtures.replicaSet;
import static dev.sluice.cli.render.Fixtures.rollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutTreeTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private static final String SPEC = """
      apiVersion: sluice.dev/v1alpha1
      kind: Rollout
      metadata: {name: shop, namespace: prod, generation: 4}
      spec:
        replicas: 4
        selector: {matchLabels: {app: shop}}
        template:
          metadata: {labels: {app: shop}}
          spec: {containers: [{name: app, image: "registry.example/shop:2.0"}]}
        strategy:
          canary:
            steps:
            - setWeight: 25
            - pause: {}
            - analysis: {templates: [{templateName: success-rate}]}
            - setWeight: 50
            - pause: {duration: 30s}
      """;

  @Test
  void aCanaryPausedAtAStepShowsStepWeightsReplicaSetsAndAnalysis() {
    Rollout rollout = rollout(SPEC + """
        status:
          phase: Paused
          message: "CanaryPauseStep: waiting for promote"
          observedGeneration: 4
          currentStepIndex: 1
          currentPodHash: 7c9f
          stableRS: 5d8b
          replicas: 5
          updatedReplicas: 1
          readyReplicas: 5
          availableReplicas: 5
          pauseConditions: [{reason: CanaryPauseStep, startTime: "2025-03-01T11:59:00Z"}]
          canary:
            weights:
              canary: {podTemplateHash: 7c9f, weight: 25}
              stable: {podTemplateHash: 5d8b, weight: 75}
        """);
    var replicaSets = List.of(
        replicaSet("shop-5d8b", "5d8b", 2, "registry.example/shop:1.9", 4, 4, "2025-02-27T12:00:00Z"),
        replicaSet("shop-3a1e", "3a1e", 1, "registry.example/shop:1.8", 0, 0, "2025-02-20T12:00:00Z"),
        replicaSet("shop-7c9f", "7c9f", 3, "registry.example/shop:2.0", 1, 1, "2025-03-01T11:58:00Z"));
    var run = analysisRun("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisRun
        metadata: {name: shop-7c9f-3, namespace: prod, creationTimestamp: "2025-03-01T11:59:30Z"}
        spec: {metrics: []}
        status:
          phase: Running
          metricResults:
          - name: success-rate
            phase: Running
            count: 4
            successful: 3
            failed: 1
            measurements:
            - {phase: Successful, value: "0.99"}
            - {phase: Failed, value: "0.91"}
            - {phase: Successful, value: "0.97"}
            - {phase: Successful, value: "0.98"}
          - name: latency-p99
            phase: Error
            count: 1
            error: 1
            measurements:
            - {phase: Error, message: "Prometheus at http://prom:9090 did not answer"}
        """);

    assertThat(RolloutTree.render(rollout, replicaSets, List.of(run), NOW)).isEqualTo("""
        Name:          shop
        Namespace:     prod
        Status:        Paused (CanaryPauseStep)
        Message:       CanaryPauseStep: waiting for promote
        Strategy:      Canary
          Step:        2/5 pause (until promoted)
          SetWeight:   25
          Weights:     canary 25% (7c9f), stable 75% (5d8b)
        Images:        registry.example/shop:2.0 (canary)
                       registry.example/shop:1.9 (stable)
        Replicas:      desired 4, current 5, updated 1, ready 5, available 5

        ReplicaSets
        ├── shop-7c9f  revision 3  canary  hash 7c9f  pods 1/1 ready, 1 available  age 2m
        ├── shop-5d8b  revision 2  stable  hash 5d8b  pods 4/4 ready, 4 available  age 2d
        └── shop-3a1e  revision 1  old     hash 3a1e  scaled down                  age 9d

        AnalysisRuns
        └── shop-7c9f-3  Running  age 30s
            ├── success-rate  Running  4 measured, 3 successful, 1 failed  last: 0.91 (Failed), 0.97 (Successful), 0.98 (Successful)
            └── latency-p99   Error    1 measured, 1 errors                last: - (Error: Prometheus at http://prom:9090 did not answer)
        """);
  }

  @Test
  void aJudgeMeasurementShowsCanaryAgainstBaselineMeansEffectAndVerdict() {
    Rollout rollout = rollout(SPEC + """
        status: {phase: Progressing, currentStepIndex: 2, currentPodHash: 7c9f, stableRS: 5d8b}
        """);
    var run = analysisRun("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisRun
        metadata: {name: shop-7c9f-3, namespace: prod, creationTimestamp: "2025-03-01T11:59:30Z"}
        spec: {metrics: []}
        status:
          phase: Failed
          metricResults:
          - name: error-ratio
            phase: Failed
            count: 3
            successful: 2
            failed: 1
            measurements:
            - {phase: Failed, value: '{"verdict":"fail","canary":{"n":11,"mean":0.0199679},"baseline":{"n":11,"mean":0.0100845},"effect":0.980051,"evidence":3.35688E36}'}
        """);

    assertThat(RolloutTree.render(rollout, List.of(), List.of(run), NOW)).contains(
        "error-ratio  Failed  3 measured, 2 successful, 1 failed  last: fail: canary 0.01997 (n=11) vs baseline 0.01008 (n=11), effect +98.0% (Failed)");
  }

  @Test
  void aNewRolloutWithoutStatusSaysSo() {
    assertThat(RolloutTree.render(rollout(SPEC), List.of(), List.of(), NOW)).isEqualTo("""
        Name:          shop
        Namespace:     prod
        Status:        Unknown (no status from the controller yet)
        Strategy:      Canary
          Step:        -/5
        Replicas:      desired 4, current 0, updated 0, ready 0, available 0

        ReplicaSets: none yet
        """);
  }

  @Test
  void aFinishedRolloutShowsAllStepsDoneAndFullWeight() {
    Rollout rollout = rollout(SPEC + """
        status:
          phase: Healthy
          observedGeneration: 4
          currentStepIndex: 5
          currentPodHash: 7c9f
          stableRS: 7c9f
          replicas: 4
          updatedReplicas: 4
          readyReplicas: 4
          availableReplicas: 4
        """);
    var replicaSets = List.of(replicaSet("shop-7c9f", "7c9f", 3, "registry.example/shop:2.0", 4, 4, "2025-03-01T11:00:00Z"));

    assertThat(RolloutTree.render(rollout, replicaSets, List.of(), NOW)).isEqualTo("""
        Name:          shop
        Namespace:     prod
        Status:        Healthy
        Strategy:      Canary
          Step:        5/5 (all steps done)
          SetWeight:   100
        Images:        registry.example/shop:2.0 (stable)
        Replicas:      desired 4, current 4, updated 4, ready 4, available 4

        ReplicaSets
        └── shop-7c9f  revision 3  stable  hash 7c9f  pods 4/4 ready, 4 available  age 60m
        """);
  }

  @Test
  void theStatusLineSaysWhyARolloutIsStoppedAndWhetherTheControllerIsBehind() {
    Rollout rollout = rollout(SPEC.replace("replicas: 4", "replicas: 4\n  paused: true") + """
        status:
          phase: Degraded
          observedGeneration: 3
          abort: true
          currentStepIndex: 0
        """);

    assertThat(RolloutTree.statusLine(rollout)).isEqualTo("Degraded (aborted, paused by user, controller has not yet seen the latest spec)");
  }
}

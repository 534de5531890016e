package dev.sluice.controller.metrics;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Rollouts and AnalysisRuns as a user (or the controller) writes them: YAML. */
final class Resources {
  private Resources() {}

  static Rollout rollout(String yaml) {
    return Serialization.unmarshal("apiVersion: sluice.dev/v1alpha1\nkind: Rollout\n" + yaml, Rollout.class);
  }

  static AnalysisRun analysisRun(String yaml) {
    return Serialization.unmarshal("apiVersion: sluice.dev/v1alpha1\nkind: AnalysisRun\n" + yaml, AnalysisRun.class);
  }

  /** A canary rollout of 5 pods with 4 steps, paused at step 3 with 40% on the canary (hash 7d9f8c6b5). */
  static Rollout pausedCanary(String namespace, String name) {
    return rollout("""
        metadata: {namespace: %s, name: %s}
        spec:
          replicas: 5
          selector: {matchLabels: {app: web}}
          template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web:2}]}}
          strategy:
            canary:
              steps: [{setWeight: 20}, {pause: {duration: 10s}}, {setWeight: 40}, {pause: {}}]
        status:
          phase: Paused
          currentStepIndex: 3
          currentPodHash: 7d9f8c6b5
          stableRS: 5f6d7c8b9
          replicas: 6
          updatedReplicas: 2
          readyReplicas: 5
          availableReplicas: 5
          pauseConditions: [{reason: CanaryPauseStep, startTime: "2025-01-01T00:00:00Z"}]
          canary:
            weights:
              canary: {podTemplateHash: 7d9f8c6b5, weight: 40}
              stable: {podTemplateHash: 5f6d7c8b9, weight: 60}
        """.formatted(namespace, name));
  }
}

package dev.sluice.cli.render;

import static dev.sluice.cli.render.Fixtures.analysisRun;
import static dev.sluice.cli.render.Fixtures.replicaSet;
import static dev.sluice.cli.render.Fixtures.rollout;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `get rollout` of a blue-green Rollout at each moment of an update, from statuses as the controller writes them. */
class BlueGreenTreeTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private static final String SPEC = """
      apiVersion: sluice.dev/v1alpha1
      kind: Rollout
      metadata: {name: shop, namespace: prod, generation: 5}
      spec:
        replicas: 3
        selector: {matchLabels: {app: shop}}
        template:
          metadata: {labels: {app: shop}}
          spec: {containers: [{name: app, image: "registry.example/shop:2.0"}]}
        strategy:
          blueGreen:
            activeService: shop-active
            previewService: shop-preview
            autoPromotionEnabled: false
            previewReplicaCount: 1
            prePromotionAnalysis: {templates: [{templateName: smoke-test}]}
            postPromotionAnalysis: {templates: [{templateName: success-rate}]}
      """;

  private static final List<io.fabric8.kubernetes.api.model.apps.ReplicaSet> DURING_UPDATE = List.of(
      replicaSet("shop-7c9f", "7c9f", 3, "registry.example/shop:2.0", 1, 1, "2025-03-01T11:58:00Z"),
      replicaSet("shop-5d8b", "5d8b", 2, "registry.example/shop:1.9", 3, 3, "2025-02-27T12:00:00Z"),
      replicaSet("shop-3a1e", "3a1e", 1, "registry.example/shop:1.8", 0, 0, "2025-02-20T12:00:00Z"));

  @Test
  void pausedBeforePromotionShowsBothServicesThePreviewAndThePrePromotionRun() {
    Rollout rollout = rollout(SPEC + """
        status:
          phase: Paused
          message: "BlueGreenPause: the preview of revision 3 is ready; promote to switch the active Service to it"
          observedGeneration: 5
          currentPodHash: 7c9f
          stableRS: 5d8b
          replicas: 4
          updatedReplicas: 1
          readyReplicas: 4
          availableReplicas: 4
          controllerPause: true
          pauseConditions: [{reason: BlueGreenPause, startTime: "2025-03-01T11:59:00Z"}]
          blueGreen:
            activeSelector: 5d8b
            previewSelector: 7c9f
            prePromotionAnalysisRunStatus: {name: shop-7c9f-3-pre, status: Successful}
        """);
    var run = analysisRun("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisRun
        metadata:
          name: shop-7c9f-3-pre
          namespace: prod
          creationTimestamp: "2025-03-01T11:58:30Z"
          labels: {sluice.dev/rollout: shop, sluice.dev/analysis-type: pre-promotion}
        spec: {metrics: []}
        status:
          phase: Successful
          metricResults:
          - {name: smoke-test, phase: Successful, count: 2, successful: 2, measurements: [{phase: Successful, value: "1"}, {phase: Successful, value: "0.99"}]}
        """);

    assertThat(RolloutTree.render(rollout, DURING_UPDATE, List.of(run), NOW)).isEqualTo("""
        Name:          shop
        Namespace:     prod
        Status:        Paused (BlueGreenPause)
        Message:       BlueGreenPause: the preview of revision 3 is ready; promote to switch the active Service to it
        Strategy:      BlueGreen
          Active:      shop-active → 5d8b
          Preview:     shop-preview → 7c9f
          Promotion:   manual (kubectl sluice promote)
          Analysis:    pre-promotion: smoke-test (shop-7c9f-3-pre Successful)
                       post-promotion: success-rate
        Images:        registry.example/shop:2.0 (preview)
                       registry.example/shop:1.9 (stable, active)
        Replicas:      desired 3, current 4, updated 1, ready 4, available 4

        ReplicaSets
        ├── shop-7c9f  revision 3  preview        hash 7c9f  pods 1/1 ready, 1 available  age 2m
        ├── shop-5d8b  revision 2  stable,active  hash 5d8b  pods 3/3 ready, 3 available  age 2d
        └── shop-3a1e  revision 1  old            hash 3a1e  scaled down                  age 9d

        AnalysisRuns
        └── shop-7c9f-3-pre (pre-promotion)  Successful  age 90s
            └── smoke-test  Successful  2 measured, 2 successful  last: 1 (Successful), 0.99 (Successful)
        """);
  }

  @Test
  void afterTheSwitchTheNewReplicaSetIsActiveAndTheOldStaysStableUntilPostPromotionPasses() {
    Rollout rollout = rollout(SPEC + """
        status:
          phase: Progressing
          observedGeneration: 5
          currentPodHash: 7c9f
          stableRS: 5d8b
          blueGreen:
            activeSelector: 7c9f
            previewSelector: 7c9f
            prePromotionAnalysisRunStatus: {name: shop-7c9f-3-pre, status: Successful}
            postPromotionAnalysisRunStatus: {name: shop-7c9f-3-post, status: Running}
        """);
    var replicaSets = List.of(
        replicaSet("shop-7c9f", "7c9f", 3, "registry.example/shop:2.0", 3, 3, "2025-03-01T11:58:00Z"),
        replicaSet("shop-5d8b", "5d8b", 2, "registry.example/shop:1.9", 3, 3, "2025-02-27T12:00:00Z"));

    String tree = RolloutTree.render(rollout, replicaSets, List.of(), NOW);

    assertThat(tree).contains(
        "  Active:      shop-active → 7c9f\n",
        "  Preview:     shop-preview → 7c9f\n",
        "  Analysis:    pre-promotion: smoke-test (shop-7c9f-3-pre Successful)\n"
            + "               post-promotion: success-rate (shop-7c9f-3-post Running)\n",
        "Images:        registry.example/shop:2.0 (active)\n               registry.example/shop:1.9 (stable)\n",
        "├── shop-7c9f  revision 3  active  hash 7c9f",
        "└── shop-5d8b  revision 2  stable  hash 5d8b");
  }

  @Test
  void aCompletedUpdateHasOneStableActiveReplicaSetAndTheOldOneScaledDown() {
    Rollout rollout = rollout(SPEC + """
        status:
          phase: Healthy
          observedGeneration: 5
          currentPodHash: 7c9f
          stableRS: 7c9f
          blueGreen: {activeSelector: 7c9f, previewSelector: 7c9f}
        """);
    var replicaSets = List.of(
        replicaSet("shop-7c9f", "7c9f", 3, "registry.example/shop:2.0", 3, 3, "2025-03-01T11:58:00Z"),
        replicaSet("shop-5d8b", "5d8b", 2, "registry.example/shop:1.9", 0, 0, "2025-02-27T12:00:00Z"));

    assertThat(RolloutTree.render(rollout, replicaSets, List.of(), NOW)).contains(
        "Images:        registry.example/shop:2.0 (stable, active)\nReplicas:",
        "├── shop-7c9f  revision 3  stable,active  hash 7c9f  pods 3/3 ready, 3 available",
        "└── shop-5d8b  revision 2  old            hash 5d8b  scaled down");
  }

  @Test
  void anAbortedUpdateShowsBothServicesBackOnStableAndTheFailedRun() {
    Rollout rollout = rollout(SPEC + """
        status:
          phase: Degraded
          message: "RolloutAborted: Rollout aborted update to revision 3: AnalysisRun \\"shop-7c9f-3-pre\\" Failed: metric \\"smoke-test\\" assessed Failed due to failed (1) > failureLimit (0)"
          observedGeneration: 5
          abort: true
          currentPodHash: 7c9f
          stableRS: 5d8b
          blueGreen:
            activeSelector: 5d8b
            previewSelector: 5d8b
            prePromotionAnalysisRunStatus: {name: shop-7c9f-3-pre, status: Failed, message: "metric \\"smoke-test\\" assessed Failed"}
        """);

    String tree = RolloutTree.render(rollout, DURING_UPDATE, List.of(), NOW);

    assertThat(tree).contains(
        "Status:        Degraded (aborted)\n",
        "  Active:      shop-active → 5d8b\n",
        "  Preview:     shop-preview → 5d8b\n",
        "  Analysis:    pre-promotion: smoke-test (shop-7c9f-3-pre Failed)\n",
        "├── shop-7c9f  revision 3  preview        hash 7c9f",
        "├── shop-5d8b  revision 2  stable,active  hash 5d8b");
  }

  @Test
  void automaticPromotionAfterAPauseCountsDownFromThePauseStart() {
    Rollout rollout = rollout(SPEC.replace("autoPromotionEnabled: false", "autoPromotionSeconds: 60") + """
        status:
          phase: Paused
          observedGeneration: 5
          currentPodHash: 7c9f
          stableRS: 5d8b
          pauseConditions: [{reason: BlueGreenPause, startTime: "2025-03-01T11:59:45Z"}]
          blueGreen: {activeSelector: 5d8b, previewSelector: 7c9f}
        """);

    assertThat(RolloutTree.render(rollout, DURING_UPDATE, List.of(), NOW))
        .contains("  Promotion:   automatic 60s after the preview is ready (in 45s)\n");
  }

  @Test
  void withoutAPreviewServiceOrAStatusTheNewPodsAreStillThePreview() {
    Rollout rollout = rollout(SPEC.replace("      previewService: shop-preview\n", "")
        .replace("      autoPromotionEnabled: false\n", "") + """
        status: {phase: Progressing, observedGeneration: 5, currentPodHash: 7c9f, stableRS: 5d8b}
        """);

    assertThat(RolloutTree.render(rollout, DURING_UPDATE, List.of(), NOW)).contains(
        "  Active:      shop-active (not pinned yet)\n",
        "  Preview:     no preview Service\n",
        "  Promotion:   automatic once the preview is ready\n",
        "├── shop-7c9f  revision 3  preview  hash 7c9f",
        "├── shop-5d8b  revision 2  stable   hash 5d8b");
  }
}

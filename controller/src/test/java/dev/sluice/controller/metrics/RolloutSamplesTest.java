package dev.sluice.controller.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RolloutSamplesTest {

  private static Map<SluiceGauge, Double> single(List<GaugeSample> samples) {
    return samples.stream().filter(s -> s.gauge() != SluiceGauge.ROLLOUT_PHASE)
        .collect(Collectors.toMap(GaugeSample::gauge, GaugeSample::value));
  }

  private static Map<String, Double> phases(List<GaugeSample> samples) {
    return samples.stream().filter(s -> s.gauge() == SluiceGauge.ROLLOUT_PHASE)
        .collect(Collectors.toMap(s -> s.label("phase"), GaugeSample::value));
  }

  @Test
  void aPausedCanaryShowsItsStepWeightReplicasAndPhase() {
    List<GaugeSample> samples = RolloutSamples.of(Resources.pausedCanary("shop", "web"));

    assertThat(phases(samples)).containsExactlyInAnyOrderEntriesOf(
        Map.of("Healthy", 0.0, "Progressing", 0.0, "Paused", 1.0, "Degraded", 0.0));
    assertThat(single(samples)).containsExactlyInAnyOrderEntriesOf(Map.of(
        SluiceGauge.ROLLOUT_ABORTED, 0.0,
        SluiceGauge.ROLLOUT_CURRENT_STEP, 3.0,
        SluiceGauge.ROLLOUT_STEPS, 4.0,
        SluiceGauge.ROLLOUT_CANARY_WEIGHT, 40.0,
        SluiceGauge.ROLLOUT_SPEC_REPLICAS, 5.0,
        SluiceGauge.ROLLOUT_STATUS_REPLICAS, 6.0,
        SluiceGauge.ROLLOUT_UPDATED_REPLICAS, 2.0,
        SluiceGauge.ROLLOUT_READY_REPLICAS, 5.0,
        SluiceGauge.ROLLOUT_AVAILABLE_REPLICAS, 5.0));
    assertThat(samples).allSatisfy(s -> {
      assertThat(s.label("namespace")).isEqualTo("shop");
      assertThat(s.label("rollout")).isEqualTo("web");
    });
    assertThat(samples).filteredOn(s -> s.gauge() == SluiceGauge.ROLLOUT_PHASE).extracting(s -> s.label("strategy")).containsOnly("canary");
  }

  private static final String BLUE_GREEN = """
      metadata: {namespace: shop, name: web}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        strategy: {blueGreen: {activeService: web-active, previewService: web-preview, autoPromotionEnabled: false}}
      """;

  @Test
  void aBlueGreenPausedOnItsPreviewHasTheStrategyNoStepsAndNoTrafficOnTheUpdateYet() {
    List<GaugeSample> samples = RolloutSamples.of(Resources.rollout(BLUE_GREEN + """
        status:
          phase: Paused
          currentPodHash: 7d9f8c6b5
          stableRS: 5f6d7c8b9
          replicas: 4
          updatedReplicas: 1
          readyReplicas: 4
          availableReplicas: 4
          pauseConditions: [{reason: BlueGreenPause, startTime: "2025-01-01T00:00:00Z"}]
          blueGreen: {activeSelector: 5f6d7c8b9, previewSelector: 7d9f8c6b5}
        """));

    assertThat(phases(samples)).containsEntry("Paused", 1.0).containsEntry("Healthy", 0.0);
    assertThat(samples).filteredOn(s -> s.gauge() == SluiceGauge.ROLLOUT_PHASE).extracting(s -> s.label("strategy")).containsOnly("blueGreen");
    assertThat(single(samples)).doesNotContainKey(SluiceGauge.ROLLOUT_CURRENT_STEP)
        .containsEntry(SluiceGauge.ROLLOUT_STEPS, 0.0)
        .containsEntry(SluiceGauge.ROLLOUT_CANARY_WEIGHT, 0.0)
        .containsEntry(SluiceGauge.ROLLOUT_UPDATED_REPLICAS, 1.0)
        .containsEntry(SluiceGauge.ROLLOUT_READY_REPLICAS, 4.0);
    assertThat(samples).allSatisfy(s -> assertThat(s.labelValues()).noneMatch(v -> v.contains("7d9f8c6b5") || v.contains("5f6d7c8b9")));
  }

  @Test
  void aBlueGreenWhoseActiveServiceSwitchedToTheUpdateHasAllItsTraffic() {
    List<GaugeSample> samples = RolloutSamples.of(Resources.rollout(BLUE_GREEN + """
        status:
          phase: Progressing
          currentPodHash: 7d9f8c6b5
          stableRS: 5f6d7c8b9
          blueGreen:
            activeSelector: 7d9f8c6b5
            previewSelector: 7d9f8c6b5
            postPromotionAnalysisRunStatus: {name: web-7d9f8c6b5-2-post, status: Running}
        """));

    assertThat(single(samples)).containsEntry(SluiceGauge.ROLLOUT_CANARY_WEIGHT, 100.0);
  }

  @Test
  void anAbortedBlueGreenIsBackOnStableWithNoTrafficOnTheUpdate() {
    List<GaugeSample> samples = RolloutSamples.of(Resources.rollout(BLUE_GREEN + """
        status:
          phase: Degraded
          abort: true
          currentPodHash: 7d9f8c6b5
          stableRS: 5f6d7c8b9
          blueGreen: {activeSelector: 5f6d7c8b9, previewSelector: 5f6d7c8b9}
        """));

    assertThat(phases(samples)).containsEntry("Degraded", 1.0);
    assertThat(single(samples)).containsEntry(SluiceGauge.ROLLOUT_ABORTED, 1.0).containsEntry(SluiceGauge.ROLLOUT_CANARY_WEIGHT, 0.0);
  }

  @Test
  void labelsAreTheDocumentedOnesAndNeverCarryAHash() {
    List<GaugeSample> samples = RolloutSamples.of(Resources.pausedCanary("shop", "web"));

    assertThat(samples).allSatisfy(s -> {
      assertThat(s.labelValues()).noneMatch(v -> v.contains("7d9f8c6b5") || v.contains("5f6d7c8b9"));
      assertThat(s.gauge().labelKeys()).isSubsetOf("namespace", "rollout", "strategy", "phase");
    });
  }

  @Test
  void anAbortedRolloutIsDegradedAndAborted() {
    var rollout = Resources.rollout("""
        metadata: {namespace: shop, name: web}
        spec:
          selector: {matchLabels: {app: web}}
          strategy: {canary: {steps: [{setWeight: 20}]}}
        status:
          phase: Degraded
          abort: true
          currentStepIndex: 0
          canary: {weights: {canary: {weight: 0}, stable: {weight: 100}}}
        """);

    List<GaugeSample> samples = RolloutSamples.of(rollout);

    assertThat(phases(samples)).containsEntry("Degraded", 1.0).containsEntry("Healthy", 0.0);
    assertThat(single(samples)).containsEntry(SluiceGauge.ROLLOUT_ABORTED, 1.0)
        .containsEntry(SluiceGauge.ROLLOUT_CANARY_WEIGHT, 0.0)
        .containsEntry(SluiceGauge.ROLLOUT_SPEC_REPLICAS, 1.0); // the default of spec.replicas
  }

  @Test
  void aRolloutTheControllerHasNotSeenYetHasNoPhaseStepOrWeight() {
    var rollout = Resources.rollout("""
        metadata: {namespace: shop, name: fresh}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          strategy: {blueGreen: {activeService: web}}
        """);

    List<GaugeSample> samples = RolloutSamples.of(rollout);

    assertThat(phases(samples).values()).containsOnly(0.0);
    assertThat(single(samples)).doesNotContainKeys(SluiceGauge.ROLLOUT_CURRENT_STEP, SluiceGauge.ROLLOUT_CANARY_WEIGHT)
        .containsEntry(SluiceGauge.ROLLOUT_STEPS, 0.0)
        .containsEntry(SluiceGauge.ROLLOUT_SPEC_REPLICAS, 3.0)
        .containsEntry(SluiceGauge.ROLLOUT_STATUS_REPLICAS, 0.0);
  }
}

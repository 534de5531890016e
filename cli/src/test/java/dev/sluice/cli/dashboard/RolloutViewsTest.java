package dev.sluice.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutViewsTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static final String ROLLOUT = """
      apiVersion: sluice.dev/v1alpha1
      kind: Rollout
      metadata: {name: shop, namespace: prod, uid: r-1, generation: 3}
      spec:
        replicas: 5
        selector: {matchLabels: {app: shop}}
        template:
          metadata: {labels: {app: shop}}
          spec: {containers: [{name: app, image: "registry.example/shop:2.0"}]}
        strategy:
          canary:
            steps:
            - setWeight: 20
            - pause: {}
            - setWeight: 60
            - pause: {duration: 30s}
      """;

  private static final String PAUSED_AT_SECOND_STEP = """
      status:
        phase: Paused
        message: "CanaryPauseStep: <b>waiting</b> & \\"quoted\\"\\nsecond line"
        observedGeneration: 3
        currentStepIndex: 1
        currentPodHash: bbb
        stableRS: aaa
        replicas: 5
        updatedReplicas: 1
        readyReplicas: 5
        availableReplicas: 5
        pauseConditions: [{reason: CanaryPauseStep, startTime: "2025-03-01T12:00:00Z"}]
        canary: {weights: {canary: {podTemplateHash: bbb, weight: 20}, stable: {podTemplateHash: aaa, weight: 80}}}
      """;

  @Test
  void aCanaryPausedAtAStepHasThatStepCurrentAndTheWeightsTheControllerSet() {
    RolloutView view = RolloutViews.of(rollout(ROLLOUT + PAUSED_AT_SECOND_STEP), List.of(), List.of(), List.of());

    assertThat(view.steps()).extracting(RolloutView.Step::text, RolloutView.Step::state).containsExactly(
        tuple("setWeight 20", "done"),
        tuple("pause (until promoted)", "current"),
        tuple("setWeight 60", "pending"),
        tuple("pause 30s", "pending"));
    assertThat(view.currentStepIndex()).isEqualTo(1);
    assertThat(view.weights()).isEqualTo(new RolloutView.Weights(20, "bbb", 80, "aaa", 20));
    assertThat(view.phase()).isEqualTo("Paused");
    assertThat(view.paused()).isTrue();
    assertThat(view.pauseReasons()).containsExactly("CanaryPauseStep");
    assertThat(view.aborted()).isFalse();
    assertThat(view.stale()).isFalse();
    assertThat(view.replicas()).isEqualTo(new RolloutView.Replicas(5, 5, 1, 5, 5));
  }

  @Test
  void aRolloutWithAllStepsDoneHasNoCurrentStepAndSetWeight100() {
    RolloutView view = RolloutViews.of(rollout(ROLLOUT + """
        status: {phase: Healthy, observedGeneration: 3, currentStepIndex: 4, currentPodHash: bbb, stableRS: bbb}
        """), List.of(), List.of(), List.of());

    assertThat(view.steps()).extracting(RolloutView.Step::state).containsOnly("done");
    assertThat(view.weights().setWeight()).isEqualTo(100);
    assertThat(view.weights().canary()).isNull();
    assertThat(view.paused()).isFalse();
  }

  @Test
  void aRolloutTheControllerHasNotSeenYetIsUnknownStaleAndAllPending() {
    RolloutView view = RolloutViews.of(rollout(ROLLOUT), List.of(), List.of(), List.of());

    assertThat(view.phase()).isEqualTo("Unknown");
    assertThat(view.stale()).isTrue();
    assertThat(view.steps()).extracting(RolloutView.Step::state).containsOnly("pending");
    assertThat(view.weights().setWeight()).isNull();
    assertThat(view.replicas()).isEqualTo(new RolloutView.Replicas(5, 0, 0, 0, 0));
    assertThat(view.pauseReasons()).isEmpty();
    assertThat(view.paused()).isFalse();
  }

  @Test
  void aUserPauseAndAnAbortAreShown() {
    Rollout rollout = rollout(ROLLOUT.replace("  replicas: 5", "  replicas: 5\n  paused: true") + """
        status: {phase: Degraded, observedGeneration: 3, currentStepIndex: 0, abort: true, currentPodHash: bbb, stableRS: aaa}
        """);

    RolloutView view = RolloutViews.of(rollout, List.of(), List.of(), List.of());

    assertThat(view.aborted()).isTrue();
    assertThat(view.paused()).isTrue();
    assertThat(view.pauseReasons()).containsExactly("PausedByUser");
  }

  @Test
  void replicaSetsNewestFirstWithTheirRoleAndOwnPods() {
    ReplicaSet stable = replicaSet("shop-aaa", "rs-a", "aaa", 1, "registry.example/shop:1.0", 4, 4);
    ReplicaSet canary = replicaSet("shop-bbb", "rs-b", "bbb", 2, "registry.example/shop:2.0", 1, 0);
    ReplicaSet old = replicaSet("shop-ooo", "rs-o", "ooo", 0, "registry.example/shop:0.9", 0, 0);
    List<Pod> pods = List.of(
        pod("shop-aaa-1", "rs-a", "Running", true, null, false),
        pod("shop-bbb-1", "rs-b", "Running", false, "CrashLoopBackOff", false),
        pod("shop-aaa-2", "rs-a", "Running", true, null, true),
        pod("other-1", "rs-other", "Running", true, null, false));

    RolloutView view = RolloutViews.of(rollout(ROLLOUT + PAUSED_AT_SECOND_STEP), List.of(stable, old, canary), pods, List.of());

    assertThat(view.replicaSets()).extracting(RolloutView.ReplicaSet::name, RolloutView.ReplicaSet::revision,
            RolloutView.ReplicaSet::roles, RolloutView.ReplicaSet::desired, RolloutView.ReplicaSet::ready, RolloutView.ReplicaSet::images)
        .containsExactly(
            tuple("shop-bbb", 2, List.of("canary"), 1, 0, List.of("registry.example/shop:2.0")),
            tuple("shop-aaa", 1, List.of("stable"), 4, 4, List.of("registry.example/shop:1.0")),
            tuple("shop-ooo", 0, List.of("old"), 0, 0, List.of("registry.example/shop:0.9")));
    assertThat(view.replicaSets().get(0).pods()).extracting(RolloutView.Pod::name, RolloutView.Pod::status, RolloutView.Pod::ready,
            RolloutView.Pod::restarts)
        .containsExactly(tuple("shop-bbb-1", "CrashLoopBackOff", false, 3));
    assertThat(view.replicaSets().get(1).pods()).extracting(RolloutView.Pod::name, RolloutView.Pod::status)
        .containsExactly(tuple("shop-aaa-1", "Running"), tuple("shop-aaa-2", "Terminating"));
    assertThat(view.replicaSets().get(2).pods()).isEmpty();
  }

  @Test
  void analysisRunsNewestFirstWithEachMeasurementAndItsNumber() {
    AnalysisRun older = analysisRun("shop-1", "2025-03-01T11:00:00Z", """
        status: {phase: Successful, metricResults: [{name: error-rate, phase: Successful, count: 1, successful: 1,
                 measurements: [{phase: Successful, value: "[0.01]"}]}]}
        """);
    AnalysisRun newer = analysisRun("shop-2", "2025-03-01T12:00:00Z", """
        status:
          phase: Running
          metricResults:
          - name: error-rate
            phase: Running
            count: 3
            successful: 2
            failed: 1
            measurements:
            - {phase: Successful, value: "0.02", startedAt: "2025-03-01T12:00:01Z", finishedAt: "2025-03-01T12:00:02Z"}
            - {phase: Failed, value: "[0.31]", message: "over the limit"}
            - {phase: Error, message: "connection refused"}
          - name: version
            phase: Successful
            dryRun: true
            measurements: [{phase: Successful, value: "<script>alert(1)</script>"}]
        """);

    RolloutView view = RolloutViews.of(rollout(ROLLOUT + PAUSED_AT_SECOND_STEP), List.of(), List.of(), List.of(older, newer));

    assertThat(view.analysisRuns()).extracting(RolloutView.AnalysisRun::name, RolloutView.AnalysisRun::phase)
        .containsExactly(tuple("shop-2", "Running"), tuple("shop-1", "Successful"));
    RolloutView.Metric errorRate = view.analysisRuns().get(0).metrics().get(0);
    assertThat(errorRate.count()).isEqualTo(3);
    assertThat(errorRate.failed()).isEqualTo(1);
    assertThat(errorRate.measurements()).extracting(RolloutView.Measurement::phase, RolloutView.Measurement::value,
            RolloutView.Measurement::number, RolloutView.Measurement::message)
        .containsExactly(
            tuple("Successful", "0.02", 0.02, null),
            tuple("Failed", "[0.31]", 0.31, "over the limit"),
            tuple("Error", null, null, "connection refused"));
    RolloutView.Metric version = view.analysisRuns().get(0).metrics().get(1);
    assertThat(version.dryRun()).isTrue();
    assertThat(version.measurements()).extracting(RolloutView.Measurement::value, RolloutView.Measurement::number)
        .containsExactly(tuple("<script>alert(1)</script>", null));
  }

  @Test
  void aJudgeMeasurementReadsAsCanaryAgainstBaseline() {
    AnalysisRun run = analysisRun("shop-3", "2025-03-01T12:00:00Z", """
        status: {phase: Running, metricResults: [{name: error-ratio, phase: Running, count: 1, successful: 1,
                 measurements: [{phase: Successful, value: '{"verdict":"continue","canary":{"n":12,"mean":0.0102},"baseline":{"n":12,"mean":0.01},"effect":0.02,"evidence":0.3}'}]}]}
        """);

    RolloutView view = RolloutViews.of(rollout(ROLLOUT + PAUSED_AT_SECOND_STEP), List.of(), List.of(), List.of(run));

    assertThat(view.analysisRuns().get(0).metrics().get(0).measurements()).extracting(RolloutView.Measurement::value, RolloutView.Measurement::number)
        .containsExactly(tuple("continue: canary 0.01020 (n=12) vs baseline 0.01000 (n=12), effect +2.0%", null));
  }

  @Test
  void theJsonCarriesMessagesVerbatimAsData() throws Exception {
    RolloutView view = RolloutViews.of(rollout(ROLLOUT + PAUSED_AT_SECOND_STEP), List.of(), List.of(), List.of());

    String json = DashboardJson.write(view);
    JsonNode parsed = new ObjectMapper().readTree(json);

    assertThat(parsed.get("message").asText()).isEqualTo("CanaryPauseStep: <b>waiting</b> & \"quoted\"\nsecond line");
    assertThat(json).doesNotContain("\n");
    assertThat(parsed.get("weights").get("canary").asInt()).isEqualTo(20);
    assertThat(parsed.get("steps").get(1).get("state").asText()).isEqualTo("current");
    assertThat(parsed.get("blueGreen").isNull()).as("a canary has no blue-green part").isTrue();
  }

  private static final String BLUE_GREEN = """
      apiVersion: sluice.dev/v1alpha1
      kind: Rollout
      metadata: {name: shop, namespace: prod, uid: r-1, generation: 3}
      spec:
        replicas: 4
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
            prePromotionAnalysis: {templates: [{templateName: smoke-test}, {templateName: latency}]}
            postPromotionAnalysis: {templates: [{templateName: success-rate}]}
      """;

  @Test
  void aBlueGreenPausedBeforePromotionShowsItsServicesWithTheirPodsAndThePrePromotionRun() {
    Rollout rollout = rollout(BLUE_GREEN + """
        status:
          phase: Paused
          message: "BlueGreenPause: waiting for promote"
          observedGeneration: 3
          currentPodHash: bbb
          stableRS: aaa
          pauseConditions: [{reason: BlueGreenPause, startTime: "2025-03-01T12:00:00Z"}]
          blueGreen:
            activeSelector: aaa
            previewSelector: bbb
            prePromotionAnalysisRunStatus: {name: shop-bbb-2-pre, status: Successful}
        """);
    ReplicaSet stable = replicaSet("shop-aaa", "rs-a", "aaa", 1, "registry.example/shop:1.0", 4, 4);
    ReplicaSet preview = replicaSet("shop-bbb", "rs-b", "bbb", 2, "registry.example/shop:2.0", 1, 0);

    RolloutView view = RolloutViews.of(rollout, List.of(stable, preview), List.of(), List.of());

    assertThat(view.strategy()).isEqualTo("BlueGreen");
    assertThat(view.steps()).isEmpty();
    assertThat(view.weights().canary()).isNull();
    assertThat(view.blueGreen()).isEqualTo(new RolloutView.BlueGreen(
        new RolloutView.ServiceTarget("shop-active", "aaa", 4, 4, 4),
        new RolloutView.ServiceTarget("shop-preview", "bbb", 0, 1, 0),
        "manual",
        new RolloutView.Analysis(List.of("smoke-test", "latency"), "shop-bbb-2-pre", "Successful", null),
        new RolloutView.Analysis(List.of("success-rate"), null, null, null)));
    assertThat(view.paused()).isTrue();
    assertThat(view.pauseReasons()).containsExactly("BlueGreenPause");
    assertThat(view.replicaSets()).extracting(RolloutView.ReplicaSet::name, RolloutView.ReplicaSet::roles).containsExactly(
        tuple("shop-bbb", List.of("preview")),
        tuple("shop-aaa", List.of("stable", "active")));
  }

  @Test
  void afterTheSwitchTheActiveServiceSelectsTheNewPodsAndThePostPromotionRunIsShown() {
    Rollout rollout = rollout(BLUE_GREEN.replace("autoPromotionEnabled: false", "autoPromotionSeconds: 30") + """
        status:
          phase: Progressing
          observedGeneration: 3
          currentPodHash: bbb
          stableRS: aaa
          blueGreen:
            activeSelector: bbb
            previewSelector: bbb
            prePromotionAnalysisRunStatus: {name: shop-bbb-2-pre, status: Successful}
            postPromotionAnalysisRunStatus: {name: shop-bbb-2-post, status: Failed, message: 'metric "success-rate" assessed Failed'}
        """);
    ReplicaSet stable = replicaSet("shop-aaa", "rs-a", "aaa", 1, "registry.example/shop:1.0", 4, 4);
    ReplicaSet active = replicaSet("shop-bbb", "rs-b", "bbb", 2, "registry.example/shop:2.0", 4, 4);

    RolloutView view = RolloutViews.of(rollout, List.of(stable, active), List.of(), List.of());

    assertThat(view.blueGreen().active()).isEqualTo(new RolloutView.ServiceTarget("shop-active", "bbb", 4, 4, 4));
    assertThat(view.blueGreen().promotion()).isEqualTo("automatic after 30s");
    assertThat(view.blueGreen().postPromotion())
        .isEqualTo(new RolloutView.Analysis(List.of("success-rate"), "shop-bbb-2-post", "Failed", "metric \"success-rate\" assessed Failed"));
    assertThat(view.replicaSets()).extracting(RolloutView.ReplicaSet::name, RolloutView.ReplicaSet::roles).containsExactly(
        tuple("shop-bbb", List.of("active")),
        tuple("shop-aaa", List.of("stable")));
  }

  @Test
  void aBlueGreenWithoutStatusOrPreviewServiceHasUnpinnedActiveAndNoPreview() {
    Rollout rollout = rollout(BLUE_GREEN.replace("      previewService: shop-preview\n", "")
        .replace("      autoPromotionEnabled: false\n", ""));

    RolloutView view = RolloutViews.of(rollout, List.of(), List.of(), List.of());

    assertThat(view.blueGreen().active()).isEqualTo(new RolloutView.ServiceTarget("shop-active", null, 0, 0, 0));
    assertThat(view.blueGreen().preview()).isNull();
    assertThat(view.blueGreen().promotion()).isEqualTo("automatic");
    assertThat(view.stale()).isTrue();
  }

  static Rollout rollout(String yaml) {
    return YAML.unmarshal(yaml, Rollout.class);
  }

  private static ReplicaSet replicaSet(String name, String uid, String hash, int revision, String image, int desired, int ready) {
    return YAML.unmarshal("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: %1$s
          namespace: prod
          uid: %2$s
          labels: {app: shop, sluice.dev/pod-template-hash: %3$s}
          annotations: {sluice.dev/revision: "%4$d"}
          ownerReferences: [{apiVersion: sluice.dev/v1alpha1, kind: Rollout, name: shop, uid: r-1}]
        spec:
          replicas: %6$d
          selector: {matchLabels: {app: shop, sluice.dev/pod-template-hash: %3$s}}
          template:
            metadata: {labels: {app: shop, sluice.dev/pod-template-hash: %3$s}}
            spec: {containers: [{name: app, image: "%5$s"}]}
        status: {replicas: %6$d, readyReplicas: %7$d, availableReplicas: %7$d}
        """.formatted(name, uid, hash, revision, image, desired, ready), ReplicaSet.class);
  }

  private static Pod pod(String name, String ownerUid, String phase, boolean ready, String waitingReason, boolean deleting) {
    return YAML.unmarshal("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: prod
          %s
          ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: x, uid: %s, controller: true}]
        spec: {containers: [{name: app, image: x}]}
        status:
          phase: %s
          conditions: [{type: Ready, status: "%s"}]
          containerStatuses: [{name: app, image: x, imageID: "", ready: %s, restartCount: %d, %s}]
        """.formatted(name, deleting ? "deletionTimestamp: \"2025-03-01T12:00:00Z\"" : "", ownerUid, phase,
        ready ? "True" : "False", ready, waitingReason == null ? 0 : 3,
        waitingReason == null ? "state: {running: {}}" : "state: {waiting: {reason: " + waitingReason + "}}"), Pod.class);
  }

  private static AnalysisRun analysisRun(String name, String created, String status) {
    return YAML.unmarshal("""
        apiVersion: sluice.dev/v1alpha1
        kind: AnalysisRun
        metadata: {name: %s, namespace: prod, creationTimestamp: "%s"}
        spec: {metrics: [{name: error-rate, provider: {web: {url: "http://x"}}}]}
        """.formatted(name, created) + status, AnalysisRun.class);
  }
}

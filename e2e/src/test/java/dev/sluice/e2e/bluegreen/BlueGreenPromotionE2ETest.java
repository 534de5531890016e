package dev.sluice.e2e.bluegreen;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static dev.sluice.e2e.bluegreen.BlueGreenTimeline.activeSelector;
import static dev.sluice.e2e.bluegreen.BlueGreenTimeline.preRun;
import static dev.sluice.e2e.bluegreen.BlueGreenTimeline.previewSelector;
import static dev.sluice.e2e.bluegreen.BlueGreenTimeline.runStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.PauseCondition;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Change;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Kind;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole blue-green sequence on the real cluster, recorded with watches on both Services and the
 * ReplicaSets: preview first, a passing pre-promotion analysis, a pause until {@code kubectl sluice
 * promote}, the new ReplicaSet scaled up, the active Service switched only once all its pods are
 * available, and the old ReplicaSet scaled down only after scaleDownDelaySeconds.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlueGreenPromotionE2ETest extends BlueGreenE2E {
  private static final String NAME = "bg";
  private static final int REPLICAS = 3;
  private static final int SCALE_DOWN_DELAY = 5;

  @Test
  void previewThenPausedUntilPromotedThenTheActiveSwitchesToAFullyAvailableReplicaSetAndTheOldGoesAfterTheDelay() {
    blueGreen.create(BlueGreenRollouts.jobTemplate("preview-smoke", "smoke", "registry.example/smoke:1.0"));
    blueGreen.createServices(NAME);
    try (var timeline = new BlueGreenTimeline(k8s, namespace, NAME)) {
      // minReadySeconds: pods are Ready at once on this cluster, available 2 s later, so "available" means something
      blueGreen.create(BlueGreenRollouts.manifest(NAME, REPLICAS, 2, """
          autoPromotionEnabled: false
          previewReplicaCount: 1
          scaleDownDelaySeconds: %d
          %s""".formatted(SCALE_DOWN_DELAY, BlueGreenRollouts.analysis("prePromotionAnalysis", "preview-smoke"))));

      String v1 = awaitSteady(timeline, REPLICAS);

      rollouts.setImage(NAME, "registry.example/app:2.0");
      timeline.note("image set to app:2.0");

      State preview = timeline.await(60, "update: preview Service on the new ReplicaSet at previewReplicaCount pods", s ->
          s.status() != null && !v1.equals(s.status().currentPodHash()) && s.status().currentPodHash().equals(s.preview())
              && s.pods(s.preview()).available() == 1);
      String v2 = preview.status().currentPodHash();
      assertThat(preview.active()).as("the active Service is not touched").isEqualTo(v1);
      assertThat(preview.pods(v2).spec()).as("previewReplicaCount").isEqualTo(1);
      assertThat(preview.pods(v1).available()).isEqualTo(REPLICAS);

      State analysed = timeline.await(90, "pre-promotion analysis Successful",
          s -> "Successful".equals(runStatus(s.preRun())));
      String runName = analysed.preRun().name();
      assertThat(runName).isEqualTo(NAME + "-" + v2 + "-2-pre");
      AnalysisRun run = blueGreen.analysisRun(runName);
      assertThat(run.getStatus().phase()).isEqualTo("Successful");
      assertThat(run.getMetadata().getLabels()).containsEntry("sluice.dev/rollout", NAME)
          .containsEntry("sluice.dev/analysis-type", "pre-promotion");

      State paused = timeline.await(60, "BlueGreenPause: waiting for promote", s -> "Paused".equals(s.phase()));
      assertThat(paused.status().pauseConditions()).extracting(PauseCondition::reason).containsExactly("BlueGreenPause");
      assertThat(paused.status().controllerPause()).isTrue();
      assertThat(paused.status().message()).startsWith("BlueGreenPause");
      assertThat(hasCondition(paused.status(), "Paused", "True")).isTrue();
      assertThat(paused.active()).isEqualTo(v1);
      assertThat(paused.preview()).isEqualTo(v2);
      assertThat(paused.pods(v2)).as("still previewReplicaCount while paused").isEqualTo(new BlueGreenTimeline.Pods(1, 1, 1));
      assertThat(paused.pods(v1).available()).isEqualTo(REPLICAS);
      Change firstPaused = timeline.awaitCaughtUp().firstStatus(s -> "Paused".equals(s.phase())).orElseThrow();
      assertThat(runStatus(preRun(firstPaused.status())))
          .as("paused only once the pre-promotion analysis passed").isEqualTo("Successful");

      var promote = blueGreen.kubectlSluice("promote", NAME);
      timeline.note("kubectl sluice promote " + NAME + " -> exit " + promote.exitCode() + ": " + promote.out().strip() + promote.err().strip());
      assertThat(promote.exitCode()).isZero();
      assertThat(promote.out()).isEqualTo("rollout \"" + NAME + "\" promoted\n");

      timeline.await(90, "promoted: the new ReplicaSet at replicas, all available", s -> s.pods(v2).available() == REPLICAS);
      timeline.await(60, "active Service switched to the new ReplicaSet", s -> v2.equals(s.active()));
      State healthy = timeline.await(90, "Healthy on the new ReplicaSet", s -> "Healthy".equals(s.phase())
          && v2.equals(s.status().stableRS()) && v2.equals(s.active()) && v2.equals(s.preview()));
      assertThat(hasCondition(healthy.status(), "Healthy", "True")).isTrue();

      timeline.await(SCALE_DOWN_DELAY + 60, "old ReplicaSet scaled down", s -> s.pods(v1).spec() == 0);
      timeline.awaitCaughtUp();

      Change switched = timeline.first(c -> c.kind() == Kind.ACTIVE && v2.equals(c.hash())).orElseThrow();
      var newAtSwitch = timeline.podsBefore(switched.revision(), v2);
      var oldAtSwitch = timeline.podsBefore(switched.revision(), v1);
      Change oldShrinks = timeline.firstAfter(switched.revision(), c -> c.kind() == Kind.PODS && v1.equals(c.hash())
          && c.pods().spec() < REPLICAS).orElseThrow();
      Duration keptFor = Duration.between(switched.seen(), oldShrinks.seen());
      timeline.print();
      System.out.printf("[%s] the active Service moved to: %s%n", NAME, timeline.activeMoves());
      System.out.printf("[%s] at the active switch (rv=%d): new ReplicaSet %s; old ReplicaSet %s%n", NAME, switched.revision(),
          newAtSwitch, oldAtSwitch);
      System.out.printf("[%s] the old ReplicaSet kept its pods %d ms after the switch (scaleDownDelaySeconds %d)%n", NAME,
          keptFor.toMillis(), SCALE_DOWN_DELAY);

      assertThat(timeline.switches(Kind.ACTIVE)).as("the active Service only ever switched to a ReplicaSet with all its pods available")
          .allSatisfy(c -> assertThat(timeline.podsBefore(c.revision(), c.hash()).available()).isEqualTo(REPLICAS));
      assertThat(timeline.selections(Kind.ACTIVE)).as("the active Service selected v1 then v2, nothing else").containsExactly(v1, v2);
      assertThat(timeline.selections(Kind.PREVIEW)).containsExactly(v1, v2);
      assertThat(newAtSwitch.available()).as("new ReplicaSet's available pods when the active Service switched").isEqualTo(REPLICAS);
      assertThat(oldAtSwitch.available()).as("old ReplicaSet still up when the active Service switched").isPositive();
      // both moments as the watches saw them; the deadline is taken before the Service is written, so allow for that
      assertThat(keptFor).as("old ReplicaSet kept for scaleDownDelaySeconds after the switch")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(SCALE_DOWN_DELAY).minusMillis(1000));
      assertThat(oldShrinks.pods().spec()).isZero();
      RolloutStatus end = rollouts.status(NAME);
      assertThat(activeSelector(end)).isEqualTo(v2);
      assertThat(previewSelector(end)).isEqualTo(v2);
      assertThat(end.pauseConditions()).isNullOrEmpty();
    }
  }
}

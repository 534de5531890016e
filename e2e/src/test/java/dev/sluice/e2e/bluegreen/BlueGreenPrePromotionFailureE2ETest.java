package dev.sluice.e2e.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Change;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Kind;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A failing pre-promotion analysis on the real cluster: production never sees the new pods (the
 * active Service, watched for the whole test, stays on the stable ReplicaSet), the Rollout is
 * aborted naming the metric, the preview goes back to stable and the new ReplicaSet is scaled to 0
 * after abortScaleDownDelaySeconds.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlueGreenPrePromotionFailureE2ETest extends BlueGreenE2E {
  private static final String NAME = "prefail";
  private static final int REPLICAS = 3;
  private static final int ABORT_SCALE_DOWN_DELAY = 5;

  @Test
  void theActiveServiceNeverMovesThePreviewReturnsToStableAndTheNewReplicaSetGoesAfterTheAbortDelay() {
    blueGreen.create(BlueGreenRollouts.jobTemplate("preview-smoke-fails", "preview-smoke", "registry.example/smoke:fail"));
    blueGreen.createServices(NAME);
    try (var timeline = new BlueGreenTimeline(k8s, namespace, NAME)) {
      blueGreen.create(BlueGreenRollouts.manifest(NAME, REPLICAS, 0, """
          abortScaleDownDelaySeconds: %d
          %s""".formatted(ABORT_SCALE_DOWN_DELAY, BlueGreenRollouts.analysis("prePromotionAnalysis", "preview-smoke-fails"))));
      String v1 = awaitSteady(timeline, REPLICAS);

      rollouts.setImage(NAME, "registry.example/app:2.0");
      timeline.note("image set to app:2.0");
      String v2 = awaitUpdate(timeline, v1);

      State previewed = timeline.await(60, "preview Service on the new ReplicaSet, all its pods available",
          s -> v2.equals(s.preview()) && s.pods(v2).available() == REPLICAS);
      assertThat(previewed.active()).isEqualTo(v1);

      State aborted = timeline.await(90, "aborted", s -> s.aborted() && "Degraded".equals(s.phase())
          && s.preRun() != null);
      var pre = aborted.preRun();
      assertThat(pre.name()).isEqualTo(NAME + "-" + v2 + "-2-pre");
      assertThat(pre.status()).isEqualTo("Failed");
      assertThat(aborted.status().message()).as("the abort message names the metric").contains("metric \"preview-smoke\"");
      assertThat(aborted.status().abortedAt()).isNotNull();
      AnalysisRun run = blueGreen.analysisRun(pre.name());
      assertThat(run.getStatus().phase()).isEqualTo("Failed");
      assertThat(run.getMetadata().getLabels()).containsEntry("sluice.dev/analysis-type", "pre-promotion");

      State back = timeline.await(30, "preview Service back on stable", s -> v1.equals(s.preview()));
      assertThat(back.active()).isEqualTo(v1);
      timeline.await(30, "status: both selectors on stable", s -> v1.equals(s.previewSelector())
          && v1.equals(s.activeSelector()));

      State scaledDown = timeline.await(ABORT_SCALE_DOWN_DELAY + 60, "new ReplicaSet scaled to 0 after abortScaleDownDelaySeconds",
          s -> s.pods(v2).spec() == 0);
      assertThat(scaledDown.pods(v1).available()).isEqualTo(REPLICAS);
      assertThat(scaledDown.active()).isEqualTo(v1);
      timeline.awaitCaughtUp();

      Instant abortedAt = Instant.parse(aborted.status().abortedAt());
      Change shrinks = timeline.first(c -> c.kind() == Kind.PODS && v2.equals(c.hash()) && c.pods().spec() < REPLICAS
          && timeline.podsBefore(c.revision(), v2).spec() == REPLICAS).orElseThrow();
      Change abortSeen = timeline.firstStatus(s -> Boolean.TRUE.equals(s.abort())).orElseThrow();
      timeline.print();
      System.out.printf("[%s] the active Service moved to: %s%n", NAME, timeline.activeMoves());
      Duration kept = Duration.between(abortedAt, shrinks.seen());
      System.out.printf("[%s] aborted at %s (status.abortedAt); the new ReplicaSet kept its pods %d ms after (abortScaleDownDelaySeconds %d)%n",
          NAME, abortedAt, kept.toMillis(), ABORT_SCALE_DOWN_DELAY);

      assertThat(timeline.switches(Kind.ACTIVE)).as("the active Service only ever switched to a ReplicaSet with all its pods available")
          .allSatisfy(c -> assertThat(timeline.podsBefore(c.revision(), c.hash()).available()).isEqualTo(REPLICAS));
      assertThat(timeline.selections(Kind.ACTIVE)).as("the active Service, watched all along, only ever selected stable")
          .containsExactly(v1);
      assertThat(timeline.selections(Kind.PREVIEW)).containsExactly(v1, v2, v1);
      assertThat(timeline.podsBefore(abortSeen.revision(), v2).available())
          .as("the pre-promotion analysis ran on the fully available preview").isEqualTo(REPLICAS);
      assertThat(shrinks.pods().spec()).isZero();
      // the scale-down is written after the deadline and seen after it is written; abortedAt has millisecond precision
      assertThat(kept).as("new ReplicaSet kept for abortScaleDownDelaySeconds after the abort")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(ABORT_SCALE_DOWN_DELAY).minusMillis(50));
    }
  }
}

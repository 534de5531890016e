package dev.sluice.e2e.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Change;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Kind;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A failing post-promotion analysis on the real cluster: the active Service has switched to the new
 * ReplicaSet; the failure switches it back to the old one, which still has all its pods thanks to
 * scaleDownDelaySeconds and keeps them past that delay, and the Rollout is aborted naming the metric.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlueGreenPostPromotionFailureE2ETest extends BlueGreenE2E {
  private static final String NAME = "postfail";
  private static final int REPLICAS = 3;
  private static final int SCALE_DOWN_DELAY = 15;
  private static final int ABORT_SCALE_DOWN_DELAY = 5;

  @Test
  void theActiveServiceGoesBackToTheOldReplicaSetWhichStaysUpAndTheRolloutIsAborted() {
    blueGreen.create(BlueGreenRollouts.jobTemplate("post-smoke-fails", "post-smoke", "registry.example/smoke:fail"));
    blueGreen.createServices(NAME);
    try (var timeline = new BlueGreenTimeline(k8s, namespace, NAME)) {
      blueGreen.create(BlueGreenRollouts.manifest(NAME, REPLICAS, 0, """
          scaleDownDelaySeconds: %d
          abortScaleDownDelaySeconds: %d
          %s""".formatted(SCALE_DOWN_DELAY, ABORT_SCALE_DOWN_DELAY,
          BlueGreenRollouts.analysis("postPromotionAnalysis", "post-smoke-fails"))));
      String v1 = awaitSteady(timeline, REPLICAS);

      rollouts.setImage(NAME, "registry.example/app:2.0");
      timeline.note("image set to app:2.0");
      String v2 = awaitUpdate(timeline, v1);

      timeline.await(90, "active Service switched to the new ReplicaSet (autoPromotionEnabled by default)", s -> v2.equals(s.active()));
      State aborted = timeline.await(90, "aborted", s -> s.aborted() && "Degraded".equals(s.phase())
          && s.postRun() != null);
      var post = aborted.postRun();
      assertThat(post.name()).isEqualTo(NAME + "-" + v2 + "-2-post");
      assertThat(post.status()).isEqualTo("Failed");
      assertThat(aborted.status().message()).as("the abort message names the metric").contains("metric \"post-smoke\"");
      assertThat(aborted.status().stableRS()).as("the new ReplicaSet never became stable").isEqualTo(v1);
      assertThat(blueGreen.analysisRun(post.name()).getMetadata().getLabels()).containsEntry("sluice.dev/analysis-type", "post-promotion");

      State back = timeline.await(30, "active and preview Services back on the old ReplicaSet", s -> v1.equals(s.active()) && v1.equals(s.preview()));
      assertThat(back.pods(v1).available()).isEqualTo(REPLICAS);
      timeline.await(ABORT_SCALE_DOWN_DELAY + 60, "new ReplicaSet scaled to 0 after abortScaleDownDelaySeconds", s -> s.pods(v2).spec() == 0);
      timeline.awaitCaughtUp();

      Change switched = timeline.first(c -> c.kind() == Kind.ACTIVE && v2.equals(c.hash())).orElseThrow();
      Duration untilPastTheDelay = Duration.between(Instant.now(), switched.seen().plusSeconds(SCALE_DOWN_DELAY + 5));
      timeline.note("watching the old ReplicaSet until " + SCALE_DOWN_DELAY + " s + 5 s after the switch");
      await(NAME + ": the old ReplicaSet keeps its pods past scaleDownDelaySeconds")
          .during(untilPastTheDelay.isNegative() ? Duration.ofMillis(500) : untilPastTheDelay)
          .atMost(Duration.ofSeconds(SCALE_DOWN_DELAY + 40)).pollInterval(Duration.ofMillis(200))
          .until(() -> {
            State s = timeline.state();
            return s.pods(v1).spec() == REPLICAS && s.pods(v1).available() == REPLICAS && v1.equals(s.active());
          });
      timeline.note("old ReplicaSet still up " + Duration.between(switched.seen(), Instant.now()).toSeconds() + " s after the switch");
      timeline.awaitCaughtUp();

      Change switchedBack = timeline.firstAfter(switched.revision(), c -> c.kind() == Kind.ACTIVE && v1.equals(c.hash())).orElseThrow();
      Change shrinks = timeline.first(c -> c.kind() == Kind.PODS && v2.equals(c.hash()) && c.pods().spec() < REPLICAS
          && timeline.podsBefore(c.revision(), v2).spec() == REPLICAS).orElseThrow();
      Instant abortedAt = Instant.parse(aborted.status().abortedAt());
      timeline.print();
      System.out.printf("[%s] the active Service moved to: %s%n", NAME, timeline.activeMoves());
      System.out.printf("[%s] switch to v2 at rv=%d (new %s, old %s); back to v1 at rv=%d, %d ms later (old %s); "
              + "new ReplicaSet kept %d ms after status.abortedAt%n", NAME, switched.revision(),
          timeline.podsBefore(switched.revision(), v2), timeline.podsBefore(switched.revision(), v1), switchedBack.revision(),
          Duration.between(switched.seen(), switchedBack.seen()).toMillis(), timeline.podsBefore(switchedBack.revision(), v1),
          Duration.between(abortedAt, shrinks.seen()).toMillis());

      assertThat(timeline.switches(Kind.ACTIVE)).as("the active Service only ever switched to a ReplicaSet with all its pods available")
          .allSatisfy(c -> assertThat(timeline.podsBefore(c.revision(), c.hash()).available()).isEqualTo(REPLICAS));
      assertThat(timeline.selections(Kind.ACTIVE)).as("active: stable, new, back to stable").containsExactly(v1, v2, v1);
      Change previewOnV2 = timeline.first(c -> c.kind() == Kind.PREVIEW && v2.equals(c.hash())).orElseThrow();
      assertThat(previewOnV2.revision()).as("the preview Service selects the new pods before the active Service does")
          .isLessThan(switched.revision());
      assertThat(timeline.podsBefore(switched.revision(), v2).available()).isEqualTo(REPLICAS);
      assertThat(timeline.podsBefore(switchedBack.revision(), v1))
          .as("old ReplicaSet, all pods available, when the active Service went back to it").isEqualTo(new BlueGreenTimeline.Pods(REPLICAS, REPLICAS, REPLICAS));
      assertThat(timeline.changes(Kind.PODS)).filteredOn(c -> v1.equals(c.hash()) && c.revision() > switched.revision())
          .as("the old ReplicaSet never lost a pod").allSatisfy(c -> assertThat(c.pods().spec()).isEqualTo(REPLICAS));
      assertThat(Duration.between(abortedAt, shrinks.seen())).as("new ReplicaSet kept for abortScaleDownDelaySeconds after the abort")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(ABORT_SCALE_DOWN_DELAY).minusMillis(50));
    }
  }
}

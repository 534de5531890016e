package dev.sluice.e2e.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisRun;
import dev.sluice.api.v1alpha1.RolloutStatus.PauseCondition;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.bluegreen.BlueGreenRollouts.CliResult;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Change;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Kind;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Pods;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a user does to a blue-green rollout in the middle of an update, on the real cluster with
 * watches on both Services and the ReplicaSets: {@code kubectl sluice promote --full} while the
 * preview waits for its analysis and a pause, {@code kubectl sluice retry} after an abort, and a new
 * template while the preview of the previous one is paused.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlueGreenUserActionsE2ETest extends BlueGreenE2E {
  private static final int REPLICAS = 3;
  private static final int SCALE_DOWN_DELAY_SECONDS = 5;
  private static final int ABORT_SCALE_DOWN_DELAY_SECONDS = 3;

  /** autoPromotionEnabled false, one preview pod, pods available 2 s after Ready (so "available" means something). */
  private String pausedBeforePromotion(String name, String extra) {
    return BlueGreenRollouts.manifest(name, REPLICAS, 2, """
        autoPromotionEnabled: false
        previewReplicaCount: 1
        scaleDownDelaySeconds: %d
        abortScaleDownDelaySeconds: %d
        """.formatted(SCALE_DOWN_DELAY_SECONDS, ABORT_SCALE_DOWN_DELAY_SECONDS) + extra);
  }

  @Test
  void promoteFullSkipsTheWaitingPrePromotionAnalysisAndThePauseAndSwitchesOnceTheNewReplicaSetIsFullyAvailable() {
    String name = "full";
    // the smoke test's first measurement is an hour away: the preview waits on it until promoted fully
    blueGreen.create(BlueGreenRollouts.jobTemplate("slow-smoke", "smoke", "registry.example/smoke:1.0", "initialDelay: 1h"));
    blueGreen.createServices(name);
    try (var timeline = new BlueGreenTimeline(k8s, namespace, name)) {
      blueGreen.create(pausedBeforePromotion(name, BlueGreenRollouts.analysis("prePromotionAnalysis", "slow-smoke")));
      String v1 = awaitSteady(timeline, REPLICAS);

      rollouts.setImage(name, "registry.example/app:2.0");
      timeline.note("image set to app:2.0");
      String v2 = awaitUpdate(timeline, v1);
      State waiting = timeline.await(90, "preview up (1 pod) and its pre-promotion analysis Running", s -> v2.equals(s.preview())
          && s.pods(v2).available() == 1 && s.preRun() != null && "Running".equals(s.preRun().status()));
      String runName = waiting.preRun().name();
      assertThat(waiting.active()).as("the active Service stays on stable while the preview waits").isEqualTo(v1);
      assertThat(waiting.pods(v2).spec()).as("previewReplicaCount").isEqualTo(1);
      assertThat(waiting.pods(v1).available()).isEqualTo(REPLICAS);

      CliResult promote = blueGreen.kubectlSluice("promote", name, "--full");
      timeline.note("kubectl sluice promote " + name + " --full -> exit " + promote.exitCode() + ": " + promote.out().strip()
          + promote.err().strip());
      assertThat(promote.exitCode()).isZero();
      assertThat(promote.err()).isEmpty();

      timeline.await(90, "promoted fully: the new ReplicaSet at replicas, all available", s -> s.pods(v2).available() == REPLICAS);
      timeline.await(60, "active Service switched to the new ReplicaSet", s -> v2.equals(s.active()));
      State healthy = timeline.await(90, "Healthy on the new ReplicaSet", s -> "Healthy".equals(s.phase())
          && v2.equals(s.status().stableRS()) && v2.equals(s.preview()));
      assertThat(healthy.status().pauseConditions()).isNullOrEmpty();
      Awaitility.await(name + ": the skipped pre-promotion run is terminated").atMost(Duration.ofSeconds(30))
          .until(() -> Boolean.TRUE.equals(blueGreen.analysisRun(runName).getSpec().terminate()));
      AnalysisRun skipped = blueGreen.analysisRun(runName);
      timeline.await(SCALE_DOWN_DELAY_SECONDS + 60, "old ReplicaSet scaled down after scaleDownDelaySeconds", s -> s.pods(v1).spec() == 0);
      timeline.awaitCaughtUp();

      Change switched = timeline.first(c -> c.kind() == Kind.ACTIVE && v2.equals(c.hash())).orElseThrow();
      Pods newAtSwitch = timeline.podsBefore(switched.revision(), v2);
      Pods oldAtSwitch = timeline.podsBefore(switched.revision(), v1);
      timeline.print();
      System.out.printf("[%s] the active Service moved to: %s%n", name, timeline.activeMoves());
      System.out.printf("[%s] at the active switch (rv=%d): new ReplicaSet %s; old ReplicaSet %s%n", name, switched.revision(),
          newAtSwitch, oldAtSwitch);
      System.out.printf("[%s] skipped pre-promotion run %s: spec.terminate=%s, phase %s, message %s, metric results %s%n", name,
          runName, skipped.getSpec().terminate(), skipped.getStatus().phase(), skipped.getStatus().message(),
          skipped.getStatus().metricResults());

      assertThat(timeline.selections(Kind.ACTIVE)).containsExactly(v1, v2);
      assertThat(newAtSwitch.available()).as("new ReplicaSet's available pods when the active Service switched").isEqualTo(REPLICAS);
      assertThat(oldAtSwitch.available()).as("old ReplicaSet still fully up when the active Service switched").isEqualTo(REPLICAS);
      assertThat(timeline.firstStatus(s -> "Paused".equals(s.phase()))).as("no BlueGreenPause: promote --full skips it").isEmpty();
      assertThat(timeline.firstStatusAfter(switched.revision(), s -> !v2.equals(BlueGreenTimeline.activeSelector(s))
          && BlueGreenTimeline.activeSelector(s) != null)).as("status.blueGreen.activeSelector stays on the new hash").isEmpty();
      assertThat(skipped.getStatus().metricResults()).as("the skipped run never measured: its first measurement was an hour away")
          .allSatisfy(m -> assertThat(m.measurements()).isNullOrEmpty());
    }
  }

  @Test
  void retryAfterAnAbortStartsTheUpdateAgainWithTheActiveServiceOnStableUntilPromoted() {
    String name = "retried";
    blueGreen.create(BlueGreenRollouts.jobTemplate("retried-smoke", "smoke", "registry.example/smoke:fail"));
    blueGreen.createServices(name);
    try (var timeline = new BlueGreenTimeline(k8s, namespace, name)) {
      blueGreen.create(pausedBeforePromotion(name, BlueGreenRollouts.analysis("prePromotionAnalysis", "retried-smoke")));
      String v1 = awaitSteady(timeline, REPLICAS);

      rollouts.setImage(name, "registry.example/app:2.0");
      timeline.note("image set to app:2.0");
      String v2 = awaitUpdate(timeline, v1);
      State aborted = timeline.await(90, "aborted by the failing pre-promotion analysis", s -> s.aborted()
          && "Degraded".equals(s.phase()) && s.preRun() != null && "Failed".equals(s.preRun().status()));
      String firstRun = aborted.preRun().name();
      assertThat(aborted.status().message()).contains("metric \"smoke\"");
      timeline.await(30, "preview Service back on stable", s -> v1.equals(s.preview()) && v1.equals(s.active()));
      timeline.await(ABORT_SCALE_DOWN_DELAY_SECONDS + 60, "preview scaled to 0 after abortScaleDownDelaySeconds",
          s -> s.pods(v2).spec() == 0);

      // the user fixes the smoke test, then retries
      k8s.resource(BlueGreenRollouts.jobTemplate("retried-smoke", "smoke", "registry.example/smoke:1.0")).inNamespace(namespace)
          .update();
      CliResult retry = blueGreen.kubectlSluice("retry", name);
      timeline.note("kubectl sluice retry " + name + " -> exit " + retry.exitCode() + ": " + retry.out().strip() + retry.err().strip());
      assertThat(retry.exitCode()).isZero();
      assertThat(retry.err()).isEmpty();

      State again = timeline.await(90, "retried: not aborted, preview Service on the new ReplicaSet, scaled up again",
          s -> !s.aborted() && v2.equals(s.preview()) && s.pods(v2).available() == 1);
      assertThat(again.active()).as("the active Service stays on stable after a retry").isEqualTo(v1);
      assertThat(again.pods(v2).spec()).as("previewReplicaCount again").isEqualTo(1);
      State paused = timeline.await(90, "the fresh pre-promotion run passed: BlueGreenPause", s -> "Paused".equals(s.phase()));
      assertThat(paused.preRun().name()).as("a fresh run, not the failed one").isNotEqualTo(firstRun).startsWith(firstRun);
      assertThat(paused.preRun().status()).isEqualTo("Successful");
      assertThat(paused.status().pauseConditions()).extracting(PauseCondition::reason).containsExactly("BlueGreenPause");
      assertThat(paused.active()).as("still on stable until promoted").isEqualTo(v1);
      assertThat(paused.preview()).isEqualTo(v2);

      CliResult promote = blueGreen.kubectlSluice("promote", name);
      timeline.note("kubectl sluice promote " + name + " -> exit " + promote.exitCode() + ": " + promote.out().strip());
      assertThat(promote.exitCode()).isZero();
      timeline.await(90, "active Service switched to the new ReplicaSet", s -> v2.equals(s.active()));
      timeline.await(90, "Healthy on the new ReplicaSet", s -> "Healthy".equals(s.phase()) && v2.equals(s.status().stableRS()));
      timeline.awaitCaughtUp();

      Change retried = timeline.first(c -> c.kind() == Kind.NOTE && c.note().startsWith("kubectl sluice retry")).orElseThrow();
      Change switched = timeline.first(c -> c.kind() == Kind.ACTIVE && v2.equals(c.hash())).orElseThrow();
      timeline.print();
      System.out.printf("[%s] the active Service moved to: %s%n", name, timeline.activeMoves());
      System.out.printf("[%s] the preview Service moved to: %s%n", name, timeline.selections(Kind.PREVIEW));
      System.out.printf("[%s] the new ReplicaSet's spec.replicas over time: %s%n", name, specHistory(timeline, v2));

      assertThat(timeline.selections(Kind.ACTIVE)).as("the active Service: stable, then the new pods only once promoted")
          .containsExactly(v1, v2);
      assertThat(timeline.selections(Kind.PREVIEW)).containsExactly(v1, v2, v1, v2);
      assertThat(specHistory(timeline, v2)).as("preview pods: up, down after the abort, up again on retry, all on promote")
          .containsExactly(1, 0, 1, 3);
      assertThat(switched.revision()).isGreaterThan(retried.revision());
      assertThat(timeline.podsBefore(switched.revision(), v2).available()).isEqualTo(REPLICAS);
    }
  }

  @Test
  void aNewTemplateWhileThePreviewIsPausedReplacesThePreviewAndTheActiveServiceNeverSelectsEitherPreview() {
    String name = "replaced";
    blueGreen.createServices(name);
    try (var timeline = new BlueGreenTimeline(k8s, namespace, name)) {
      blueGreen.create(pausedBeforePromotion(name, ""));
      String v1 = awaitSteady(timeline, REPLICAS);

      rollouts.setImage(name, "registry.example/app:2.0");
      timeline.note("image set to app:2.0");
      String v2 = awaitUpdate(timeline, v1);
      State paused = timeline.await(90, "the preview of app:2.0 paused (BlueGreenPause)", s -> "Paused".equals(s.phase())
          && v2.equals(s.status().currentPodHash()) && v2.equals(s.preview()) && s.pods(v2).available() == 1);
      assertThat(paused.active()).isEqualTo(v1);

      rollouts.setImage(name, "registry.example/app:3.0");
      timeline.note("image set to app:3.0 while the preview of app:2.0 is paused");
      String v3 = awaitUpdate(timeline, v2);
      assertThat(v3).isNotEqualTo(v1);
      State replaced = timeline.await(90, "the preview of app:3.0 paused, the old preview scaled to 0", s -> "Paused".equals(s.phase())
          && v3.equals(s.status().currentPodHash()) && v3.equals(s.preview()) && s.pods(v3).available() == 1 && s.pods(v2).spec() == 0);
      assertThat(replaced.active()).as("the active Service stays on stable").isEqualTo(v1);
      assertThat(replaced.status().pauseConditions()).extracting(PauseCondition::reason).containsExactly("BlueGreenPause");
      assertThat(replaced.pods(v1).available()).isEqualTo(REPLICAS);
      assertThat(replaced.status().stableRS()).isEqualTo(v1);

      CliResult promote = blueGreen.kubectlSluice("promote", name);
      timeline.note("kubectl sluice promote " + name + " -> exit " + promote.exitCode() + ": " + promote.out().strip());
      assertThat(promote.exitCode()).isZero();
      timeline.await(90, "active Service switched to the app:3.0 ReplicaSet", s -> v3.equals(s.active()));
      timeline.await(90, "Healthy on app:3.0", s -> "Healthy".equals(s.phase()) && v3.equals(s.status().stableRS()));
      timeline.awaitCaughtUp();

      Change secondUpdate = timeline.first(c -> c.kind() == Kind.NOTE && c.note().startsWith("image set to app:3.0")).orElseThrow();
      Change v3Created = timeline.first(c -> c.kind() == Kind.PODS && v3.equals(c.hash())).orElseThrow();
      Change v2Down = timeline.first(c -> c.kind() == Kind.PODS && v2.equals(c.hash()) && c.pods().spec() == 0).orElseThrow();
      timeline.print();
      System.out.printf("[%s] the active Service moved to: %s%n", name, timeline.activeMoves());
      System.out.printf("[%s] the preview Service moved to: %s%n", name, timeline.selections(Kind.PREVIEW));
      System.out.printf("[%s] old preview spec.replicas over time: %s; new preview: %s%n", name, specHistory(timeline, v2),
          specHistory(timeline, v3));

      assertThat(timeline.selections(Kind.ACTIVE)).as("the active Service never selected the app:2.0 preview")
          .containsExactly(v1, v3);
      assertThat(timeline.selections(Kind.PREVIEW)).containsExactly(v1, v2, v3);
      assertThat(specHistory(timeline, v2)).as("the replaced preview: one pod, then none").containsExactly(1, 0);
      assertThat(v3Created.revision()).isGreaterThan(secondUpdate.revision());
      assertThat(v2Down.revision()).isGreaterThan(secondUpdate.revision());
      Change switched = timeline.first(c -> c.kind() == Kind.ACTIVE && v3.equals(c.hash())).orElseThrow();
      assertThat(timeline.podsBefore(switched.revision(), v3).available()).isEqualTo(REPLICAS);
      assertThat(timeline.podsBefore(switched.revision(), v2).spec()).isZero();
    }
  }

  /** The ReplicaSet's spec.replicas as the watch saw it change, consecutive repeats left out. */
  private static List<Integer> specHistory(BlueGreenTimeline timeline, String hash) {
    List<Integer> specs = new ArrayList<>();
    for (Change c : timeline.changes(Kind.PODS)) {
      if (hash.equals(c.hash()) && (specs.isEmpty() || specs.get(specs.size() - 1) != c.pods().spec())) {
        specs.add(c.pods().spec());
      }
    }
    return specs;
  }
}

package dev.sluice.e2e.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.RolloutStatus.PauseCondition;
import dev.sluice.e2e.ControllerProcess;
import dev.sluice.e2e.LocalCluster;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.RealCluster.TestNamespace;
import dev.sluice.e2e.Rollouts;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Change;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.Kind;
import dev.sluice.e2e.bluegreen.BlueGreenTimeline.State;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * autoPromotionSeconds keeps its original deadline across a SIGKILL of the controller (a separate
 * OS process here): the promotion happens within 1 s of the pause's start + autoPromotionSeconds.
 */
@RealCluster
class BlueGreenAutoPromotionRestartE2ETest {
  private static final Path LOGS = Path.of("target", "controller-logs");
  private static final String NAME = "autopromote";
  private static final int REPLICAS = 2;
  private static final int AUTO_PROMOTION_SECONDS = 8;

  /** The packaged controller, with the product's JVM options (which start it quickly). */
  private static ControllerProcess controller(LocalCluster cluster, TestNamespace ns, String log) {
    return new ControllerProcess(cluster.kubeconfig(), ns.name(), LOGS.resolve(log));
  }

  /** SIGKILL: no shutdown hook, no goodbye, exactly like a node dying. */
  private static void sigkill(ControllerProcess controller) throws Exception {
    ProcessHandle process = controller.handle();
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.onExit().get(10, TimeUnit.SECONDS);
  }

  @Test
  void thePromotionHappensAtTheOriginalDeadlineAfterTheControllerIsSigkilledDuringTheWait(LocalCluster cluster, KubernetesClient k8s,
      TestNamespace ns) throws Exception {
    var blueGreen = new BlueGreenRollouts(k8s, ns.name(), cluster.kubeconfig());
    var rollouts = new Rollouts(k8s, ns.name());
    blueGreen.createServices(NAME);
    var first = controller(cluster, ns, "bluegreen-autopromote-1.log");
    try (var timeline = new BlueGreenTimeline(k8s, ns.name(), NAME)) {
      blueGreen.create(BlueGreenRollouts.manifest(NAME, REPLICAS, 0, "autoPromotionSeconds: " + AUTO_PROMOTION_SECONDS + "\nscaleDownDelaySeconds: 3"));
      String v1 = BlueGreenE2E.awaitSteady(timeline, REPLICAS);

      rollouts.setImage(NAME, "registry.example/app:2.0");
      timeline.note("image set to app:2.0");
      String v2 = BlueGreenE2E.awaitUpdate(timeline, v1);
      State paused = timeline.await(90, "BlueGreenPause: autoPromotionSeconds " + AUTO_PROMOTION_SECONDS, s -> "Paused".equals(s.phase())
          && s.status().pauseConditions() != null && !s.status().pauseConditions().isEmpty());
      PauseCondition pause = paused.status().pauseConditions().get(0);
      assertThat(pause.reason()).isEqualTo("BlueGreenPause");
      assertThat(paused.active()).isEqualTo(v1);
      assertThat(paused.preview()).isEqualTo(v2);
      Instant deadline = Instant.parse(pause.startTime()).plusSeconds(AUTO_PROMOTION_SECONDS);

      sigkill(first);
      Instant killedAt = Instant.now();
      timeline.note("controller SIGKILLed (pid " + first.handle().pid() + ")");
      assertThat(first.alive()).isFalse();
      assertThat(killedAt).as("killed during the wait").isBefore(deadline);

      try (var second = controller(cluster, ns, "bluegreen-autopromote-2.log")) {
        timeline.note("controller started again");
        AtomicReference<Instant> readyAt = new AtomicReference<>();
        await(NAME + ": the pause left after the restart").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
          if (readyAt.get() == null && second.readyz() == 200) readyAt.set(Instant.now());
          State s = timeline.state();
          return s.status().pauseConditions() == null || s.status().pauseConditions().isEmpty();
        });
        timeline.note("pause left");
        State switched = timeline.await(60, "active Service switched to the new ReplicaSet", s -> v2.equals(s.active()));
        assertThat(switched.pods(v2).available()).isEqualTo(REPLICAS);
        timeline.await(60, "Healthy on the new ReplicaSet", s -> "Healthy".equals(s.phase()) && v2.equals(s.status().stableRS()));
        timeline.awaitCaughtUp();

        Change pausedChange = timeline.firstStatus(s -> "Paused".equals(s.phase())).orElseThrow();
        Change pauseLeft = timeline.firstStatusAfter(pausedChange.revision(),
            s -> s.pauseConditions() == null || s.pauseConditions().isEmpty()).orElseThrow();
        Change activeSwitch = timeline.first(c -> c.kind() == Kind.ACTIVE && v2.equals(c.hash())).orElseThrow();
        // the controller writes the Service, then the status: the promotion is whichever the cluster saw first
        Change promotion = activeSwitch.revision() < pauseLeft.revision() ? activeSwitch : pauseLeft;
        Duration lateness = Duration.between(deadline, promotion.seen());
        timeline.print();
        System.out.printf("[%s] the active Service moved to: %s%n", NAME, timeline.activeMoves());
        System.out.printf("[%s] pause started %s; deadline (+%d s) %s; controller SIGKILLed at %s and started again, /readyz 200 at %s; "
                + "active Service switched at %s (%+d ms from the deadline), status without the pause at %s (%+d ms)%n",
            NAME, pause.startTime(), AUTO_PROMOTION_SECONDS, deadline, killedAt, readyAt.get(), activeSwitch.seen(),
            Duration.between(deadline, activeSwitch.seen()).toMillis(), pauseLeft.seen(), Duration.between(deadline, pauseLeft.seen()).toMillis());

        assertThat(timeline.switches(Kind.ACTIVE)).as("the active Service only ever switched to a ReplicaSet with all its pods available")
            .allSatisfy(c -> assertThat(timeline.podsBefore(c.revision(), c.hash()).available()).isEqualTo(REPLICAS));
        assertThat(activeSwitch.revision()).as("the active Service switched only after the pause").isGreaterThan(pausedChange.revision());
        assertThat(lateness).as("promotion relative to the original deadline (pause start + autoPromotionSeconds)")
            .isBetween(Duration.ofMillis(-50), Duration.ofMillis(1000));
      }
    } finally {
      first.close();
    }
  }
}

package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.canaryWeight;
import static dev.sluice.e2e.Rollouts.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** State lives in the cluster: a controller killed with SIGKILL and restarted continues exactly. */
@RealCluster
class ControllerRestartE2ETest {
  private static final Path LOGS = Path.of("target", "controller-logs");

  private static RolloutStatus awaitHealthy(Rollouts rollouts, String name) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return s != null && hasCondition(s, "Healthy", "True");
    });
    return rollouts.status(name);
  }

  @Test
  void timedPauseKeepsItsOriginalDeadlineAcrossASigkill(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns)
      throws Exception {
    var rollouts = new Rollouts(k8s, ns.name());
    var first = new ControllerProcess(cluster, ns.name(), LOGS.resolve("pause-1.log"));
    try {
      rollouts.create(Rollouts.manifest("pause", 2, "registry.example/app:1.0", "", "",
          "- setWeight: 50\n- pause: {duration: 8s}\n- pause: {}"));
      awaitHealthy(rollouts, "pause");
      rollouts.setImage("pause", "registry.example/app:2.0");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
        RolloutStatus s = rollouts.status("pause");
        return s.currentStepIndex() == 1 && s.pauseConditions() != null && !s.pauseConditions().isEmpty();
      });
      Instant started = Instant.parse(rollouts.status("pause").pauseConditions().get(0).startTime());
      first.kill();
      Instant killedAt = Instant.now();
      assertThat(first.alive()).isFalse();

      try (var second = new ControllerProcess(cluster, ns.name(), LOGS.resolve("pause-2.log"))) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
            .until(() -> rollouts.status("pause").currentStepIndex() >= 2);
        Instant ended = Instant.now();
        Instant deadline = started.plusSeconds(8);
        System.out.printf("[restart] pause 8s started %s, controller SIGKILLed at %s and restarted; deadline %s, pause left at %s (%+d ms)%n",
            started, killedAt, deadline, ended, Duration.between(deadline, ended).toMillis());
        assertThat(Duration.between(deadline, ended)).isBetween(Duration.ofMillis(-50), Duration.ofMillis(1000));
        assertThat(rollouts.status("pause").pauseConditions()).extracting(RolloutStatus.PauseCondition::reason)
            .containsExactly("CanaryPauseStep");
      }
    } finally {
      first.close();
    }
  }

  @Test
  void killDuringASetWeightStepRepeatsAndSkipsNoStep(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns)
      throws Exception {
    var rollouts = new Rollouts(k8s, ns.name());
    List<String> timeline = Collections.synchronizedList(new ArrayList<>());
    var first = new ControllerProcess(cluster, ns.name(), LOGS.resolve("steps-1.log"));
    try (var watch = k8s.resources(Rollout.class).inNamespace(ns.name()).withName("steps").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Rollout r) {
        RolloutStatus s = r.getStatus();
        if (s == null) return;
        String point = s.currentPodHash() + " step=" + s.currentStepIndex() + " weight=" + canaryWeight(s);
        synchronized (timeline) {
          if (timeline.isEmpty() || !timeline.get(timeline.size() - 1).equals(point)) timeline.add(point);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    })) {
      // minReadySeconds makes each setWeight step take a few seconds, so the kill lands inside one
      rollouts.create(Rollouts.manifest("steps", 5, "registry.example/app:1.0", "minReadySeconds: 2", "",
          "- setWeight: 20\n- setWeight: 40\n- setWeight: 60\n- pause: {}"));
      awaitHealthy(rollouts, "steps");
      rollouts.setImage("steps", "registry.example/app:2.0");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(() -> Objects.equals(rollouts.status("steps").currentStepIndex(), 1));
      String canaryHash = rollouts.status("steps").currentPodHash();
      String canaryUid = rollouts.replicaSet("steps", canaryHash).orElseThrow().getMetadata().getUid();
      first.kill();
      System.out.println("[restart] controller SIGKILLed during step 1 (setWeight 40)");

      try (var second = new ControllerProcess(cluster, ns.name(), LOGS.resolve("steps-2.log"))) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
          RolloutStatus s = rollouts.status("steps");
          return s.currentStepIndex() == 3 && "Paused".equals(s.phase());
        });
        // the update's own points: the hash the canary runs
        List<String> update = timeline.stream().filter(p -> p.startsWith(canaryHash + " ")).map(p -> p.substring(canaryHash.length() + 1)).toList();
        System.out.println("[restart] step/weight timeline of the update, seen by a watch: " + update);
        assertThat(rollouts.replicaSet("steps", canaryHash).orElseThrow().getMetadata().getUid())
            .as("the canary ReplicaSet survives the restart").isEqualTo(canaryUid);
        List<Integer> steps = update.stream().map(p -> Integer.parseInt(p.replaceAll("step=(-?\\d+).*", "$1"))).toList();
        assertThat(steps).as("step index never goes back").isSorted();
        List<String> weights = update.stream().map(p -> p.replaceAll(".*weight=", "")).distinct().toList();
        assertThat(weights).as("every setWeight step reached, in order, none twice").containsSubsequence("20", "40", "60");
        assertThat(weights).as("weight never went down").isSortedAccordingTo(java.util.Comparator.comparing(w -> w.equals("null") ? -1 : Integer.parseInt(w)));
        assertThat(canaryWeight(rollouts.status("steps"))).isEqualTo(60);
      }
    } finally {
      first.close();
    }
  }
}

package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.hasCondition;
import static dev.sluice.e2e.Rollouts.specReplicas;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** restartAt, pause/resume, going back mid-update, scaling mid-update and rollback to an old revision. */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanaryUserActionsE2ETest {
  private static final String STEPS = "- setWeight: 50\n- pause: {}";

  private ControllerInJvm controller;
  private Rollouts rollouts;
  private KubernetesClient k8s;
  private String ns;

  @BeforeAll
  void startController(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    controller = new ControllerInJvm(cluster, ns.name());
    rollouts = new Rollouts(k8s, ns.name());
    this.k8s = k8s;
    this.ns = ns.name();
  }

  @AfterAll
  void stopController() {
    if (controller != null) controller.close();
  }

  private static ConditionFactory within(int seconds) {
    return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100));
  }

  private RolloutStatus awaitHealthyOn(String name, String image) {
    within(60).until(() -> {
      var r = rollouts.get(name);
      RolloutStatus s = r.getStatus();
      return s != null && hasCondition(s, "Healthy", "True") && r.getMetadata().getGeneration().equals(s.observedGeneration())
          && r.getSpec().template().getSpec().getContainers().get(0).getImage().equals(image);
    });
    return rollouts.status(name);
  }

  private Set<String> podNames(String app) {
    return k8s.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
  }

  private int readyPods(String app) {
    return (int) k8s.pods().inNamespace(ns).withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(CanaryUserActionsE2ETest::ready).count();
  }

  private static boolean ready(Pod p) {
    return p.getStatus() != null && p.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Test
  void restartAtReplacesEveryPodOneAtATime() {
    rollouts.create(Rollouts.manifest("restart", 3, "registry.example/app:1.0", "", "", STEPS));
    awaitHealthyOn("restart", "registry.example/app:1.0");
    Set<String> original = podNames("restart");
    assertThat(original).hasSize(3);

    String restartAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).toString();
    rollouts.patchSpec("restart", "{\"restartAt\":\"" + restartAt + "\"}");

    AtomicInteger fewestReady = new AtomicInteger(3);
    within(60).until(() -> {
      fewestReady.accumulateAndGet(readyPods("restart"), Math::min);
      RolloutStatus s = rollouts.status("restart");
      return restartAt.equals(s.restartedAt()) && podNames("restart").stream().noneMatch(original::contains)
          && readyPods("restart") == 3;
    });
    System.out.printf("[restart] all 3 pods replaced after restartAt=%s; fewest ready pods seen: %d%n", restartAt, fewestReady.get());
    assertThat(fewestReady.get()).as("pods go one at a time").isGreaterThanOrEqualTo(2);
    assertThat(rollouts.replicaSets("restart")).hasSize(1);
  }

  @Test
  void pausedRolloutStartsNothingUntilResumed() {
    rollouts.create(Rollouts.manifest("paused", 2, "registry.example/app:1.0", "", "", "- setWeight: 50"));
    awaitHealthyOn("paused", "registry.example/app:1.0");

    rollouts.patchSpec("paused", "{\"paused\":true}");
    rollouts.setImage("paused", "registry.example/app:2.0");

    within(30).until(() -> {
      RolloutStatus s = rollouts.status("paused");
      return "Paused".equals(s.phase()) && hasCondition(s, "Paused", "True")
          && rollouts.get("paused").getMetadata().getGeneration().equals(s.observedGeneration());
    });
    assertThat(rollouts.replicaSets("paused")).as("no canary while paused").hasSize(1);

    rollouts.patchSpec("paused", "{\"paused\":false}");

    RolloutStatus done = awaitHealthyOn("paused", "registry.example/app:2.0");
    assertThat(done.stableRS()).isEqualTo(done.currentPodHash());
    assertThat(rollouts.replicaSets("paused")).hasSize(2);
  }

  @Test
  void goingBackToTheStableTemplateMidUpdateIsInstantAndScalingIsNoNewRollout() {
    rollouts.create(Rollouts.manifest("back", 4, "registry.example/app:1.0", "", "", STEPS));
    String stable = awaitHealthyOn("back", "registry.example/app:1.0").stableRS();
    rollouts.setImage("back", "registry.example/app:2.0");
    within(60).until(() -> "Paused".equals(rollouts.status("back").phase()) && rollouts.status("back").currentStepIndex() == 1);
    String canary = rollouts.status("back").currentPodHash();

    // scaling mid-update: same rollout, same step, new pod counts
    rollouts.patchSpec("back", "{\"replicas\":8}");
    within(60).until(() -> rollouts.readyPodsByHash("back").getOrDefault(canary, 0) == 4
        && rollouts.readyPodsByHash("back").getOrDefault(stable, 0) == 4);
    RolloutStatus scaled = rollouts.status("back");
    assertThat(scaled.currentPodHash()).isEqualTo(canary);
    assertThat(scaled.currentStepIndex()).isEqualTo(1);
    assertThat(scaled.pauseConditions()).isNotEmpty();

    // back to the stable template: no steps, the canary goes at once
    rollouts.setImage("back", "registry.example/app:1.0");
    RolloutStatus back = awaitHealthyOn("back", "registry.example/app:1.0");
    within(30).until(() -> specReplicas(rollouts.replicaSet("back", canary)) == 0);
    assertThat(back.stableRS()).isEqualTo(stable);
    assertThat(back.currentPodHash()).isEqualTo(stable);
    assertThat(rollouts.readyPodsByHash("back")).containsEntry(stable, 8);
  }

  @Test
  void rollingBackToAnOldRevisionReusesItsReplicaSet() {
    rollouts.create(Rollouts.manifest("undo", 2, "registry.example/app:1.0", "", "", STEPS));
    String v1 = awaitHealthyOn("undo", "registry.example/app:1.0").stableRS();
    for (String image : new String[] {"registry.example/app:2.0", "registry.example/app:1.0"}) {
      rollouts.setImage("undo", image);
      within(60).until(() -> "Paused".equals(rollouts.status("undo").phase()));
      rollouts.promoteFull("undo");
      awaitHealthyOn("undo", image);
      if (image.endsWith("2.0")) {
        assertThat(rollouts.status("undo").stableRS()).isNotEqualTo(v1);
      }
    }
    // the v1 template came back as revision 3, on the ReplicaSet it had before
    assertThat(rollouts.status("undo").stableRS()).isEqualTo(v1);
    assertThat(rollouts.replicaSets("undo")).hasSize(2);
    assertThat(rollouts.replicaSet("undo", v1).orElseThrow().getMetadata().getAnnotations())
        .containsEntry("sluice.dev/revision", "3");
  }

  @Test
  void aRollbackWithinTheWindowSkipsEveryStepAndPause() throws Exception {
    rollouts.create(Rollouts.manifest("window", 2, "registry.example/app:1.0", "rollbackWindow: {revisions: 2}", "", STEPS));
    String v1 = awaitHealthyOn("window", "registry.example/app:1.0").stableRS();
    rollouts.setImage("window", "registry.example/app:2.0");
    within(60).until(() -> "Paused".equals(rollouts.status("window").phase()));
    rollouts.promoteFull("window");
    awaitHealthyOn("window", "registry.example/app:2.0");

    List<RolloutStatus> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = k8s.resources(Rollout.class).inNamespace(ns).withName("window").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Rollout r) {
        if (r.getStatus() != null) seen.add(r.getStatus());
      }

      @Override
      public void onClose(WatcherException e) {}
    })) {
      Instant start = Instant.now();
      rollouts.setImage("window", "registry.example/app:1.0"); // revision 1, one back: inside a window of 2
      awaitHealthyOn("window", "registry.example/app:1.0");
      within(30).until(() -> seen.stream().anyMatch(s -> v1.equals(s.stableRS()) && hasCondition(s, "Healthy", "True")));
      Duration took = Duration.between(start, Instant.now());

      assertThat(seen).as("never paused on the way back").allSatisfy(s -> assertThat(s.pauseConditions()).isNull());
      // every step skipped: no status on the way back stood on a step or split the traffic (whether the
      // interim promoteFull mark is ever written depends on how many passes one reconcile needed)
      assertThat(seen).as("never on a step on the way back").allSatisfy(s -> assertThat(s.currentStepIndex()).isEqualTo(2));
      assertThat(seen).as("never split traffic on the way back").allSatisfy(s -> assertThat(canaryWeight(s)).isIn(0, 100));
      assertThat(rollouts.status("window").stableRS()).isEqualTo(v1);
      assertThat(rollouts.status("window").promoteFull()).isNull();
      List<String> reasons = k8s.v1().events().inNamespace(ns).list().getItems().stream()
          .filter(e -> "window".equals(e.getInvolvedObject().getName()))
          .sorted(java.util.Comparator.comparing(e -> e.getMetadata().getCreationTimestamp()))
          .map(e -> e.getReason() + ": " + e.getMessage()).toList();
      assertThat(reasons).anyMatch(r -> r.startsWith("RollbackWithinWindow: Rolling back to the template of revision 1, 1 revision back"));
      System.out.printf("[window] rollback to revision 1 inside rollbackWindow 2: Healthy on %s after %d ms, "
          + "%d statuses seen, none paused; events: %s%n", v1, took.toMillis(), seen.size(),
          reasons.stream().filter(r -> r.startsWith("Rollback") || r.startsWith("RolloutCompleted")).toList());
    }
  }

  /** The canary's weight a status shows; 0 when it shows none. */
  private static int canaryWeight(RolloutStatus s) {
    return s.canary() == null || s.canary().weights() == null || s.canary().weights().canary() == null
        || s.canary().weights().canary().weight() == null ? 0 : s.canary().weights().canary().weight();
  }
}

package dev.sluice.e2e;

import static dev.sluice.e2e.Rollouts.canaryWeight;
import static dev.sluice.e2e.Rollouts.hasCondition;
import static dev.sluice.e2e.Rollouts.specReplicas;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The canary engine on the real cluster, driven the way a user drives it: manifests and patches. */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CanaryRolloutE2ETest {
  private static final String STEPS = """
      - setWeight: 20
      - pause: {duration: 2s}
      - setWeight: 50
      - pause: {}
      """;

  private ControllerInJvm controller;
  private Rollouts rollouts;

  @BeforeAll
  void startController(LocalCluster cluster, KubernetesClient k8s, TestNamespace ns) {
    controller = new ControllerInJvm(cluster, ns.name());
    rollouts = new Rollouts(k8s, ns.name());
  }

  @AfterAll
  void stopController() {
    if (controller != null) controller.close();
  }

  private static ConditionFactory within(int seconds) {
    return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100));
  }

  private RolloutStatus awaitHealthy(String name) {
    within(60).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return s != null && "Healthy".equals(s.phase()) && hasCondition(s, "Healthy", "True");
    });
    return rollouts.status(name);
  }

  private void log(String name, String what) {
    RolloutStatus s = rollouts.status(name);
    String stable = s.stableRS();
    String canary = s.currentPodHash();
    var ready = rollouts.readyPodsByHash(name);
    System.out.printf("[%s] %-34s step=%s phase=%s weight=%s stable(%s): ready=%d spec=%d canary(%s): ready=%d spec=%d%n",
        name, what, s.currentStepIndex(), s.phase(), canaryWeight(s), stable, ready.getOrDefault(stable, 0),
        specReplicas(rollouts.replicaSet(name, stable)), canary,
        Objects.equals(canary, stable) ? 0 : ready.getOrDefault(canary, 0),
        Objects.equals(canary, stable) ? 0 : specReplicas(rollouts.replicaSet(name, canary)));
  }

  @Test
  void initialDeployBecomesHealthyWithAllPodsReady() {
    rollouts.create(Rollouts.manifest("initial", 3, "registry.example/app:1.0", "", "", STEPS));

    RolloutStatus s = awaitHealthy("initial");
    log("initial", "initial deploy done");

    assertThat(rollouts.readyPodsByHash("initial")).containsExactly(java.util.Map.entry(s.stableRS(), 3));
    assertThat(rollouts.replicaSets("initial")).singleElement().satisfies(rs -> {
      assertThat(rs.getMetadata().getName()).isEqualTo("initial-" + s.stableRS());
      assertThat(rs.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getKind()).isEqualTo("Rollout"));
      assertThat(rs.getMetadata().getAnnotations()).containsEntry("sluice.dev/revision", "1");
    });
    assertThat(s.currentPodHash()).isEqualTo(s.stableRS());
    assertThat(hasCondition(s, "Completed", "True")).isTrue();
    assertThat(hasCondition(s, "Available", "True")).isTrue();

    // a settled rollout is not rewritten: the controller patches status only when something changed,
    // even when a ReplicaSet event wakes it up
    String settled = rollouts.get("initial").getMetadata().getResourceVersion();
    rollouts.replicaSets("initial").forEach(rs -> rollouts.touch(rs));
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
        .until(() -> rollouts.get("initial").getMetadata().getResourceVersion().equals(settled));
  }

  @Test
  void updateWalksTheStepsPausesPreciselyAndPromotes() {
    rollouts.create(Rollouts.manifest("walk", 5, "registry.example/app:1.0", "", "", STEPS));
    String oldHash = awaitHealthy("walk").stableRS();

    rollouts.setImage("walk", "registry.example/app:2.0");

    // step 0: setWeight 20 -> 1 of 5 pods on the canary; then the timed pause starts
    within(60).until(() -> pauseStart(rollouts.status("walk")) != null && rollouts.status("walk").currentStepIndex() == 1);
    RolloutStatus atPause = rollouts.status("walk");
    log("walk", "setWeight 20 reached, pause 2s");
    String newHash = atPause.currentPodHash();
    assertThat(newHash).isNotEqualTo(oldHash);
    assertThat(canaryWeight(atPause)).isEqualTo(20);
    assertThat(rollouts.readyPodsByHash("walk")).containsEntry(newHash, 1).containsEntry(oldHash, 4);

    // step 1: pause 2s must end at its deadline, not before, and well within a second after
    Instant deadline = pauseStart(atPause).plusSeconds(2);
    within(10).pollInterval(Duration.ofMillis(20)).until(() -> rollouts.status("walk").currentStepIndex() >= 2);
    Instant ended = Instant.now();
    Duration lateBy = Duration.between(deadline, ended);
    System.out.printf("[walk] timed pause of 2s: started %s, deadline %s, left the pause at %s (%+d ms)%n",
        pauseStart(atPause), deadline, ended, lateBy.toMillis());
    assertThat(lateBy).isBetween(Duration.ofMillis(-50), Duration.ofMillis(1000));

    // step 2: setWeight 50 -> 3 of 5 pods on the canary; step 3: pause {} waits for a human
    within(60).until(() -> {
      RolloutStatus s = rollouts.status("walk");
      return s.currentStepIndex() == 3 && "Paused".equals(s.phase()) && hasCondition(s, "Paused", "True");
    });
    log("walk", "setWeight 50 reached, pause {}");
    RolloutStatus paused = rollouts.status("walk");
    assertThat(canaryWeight(paused)).isEqualTo(50);
    assertThat(rollouts.readyPodsByHash("walk").get(newHash)).isEqualTo(3);
    assertThat(paused.pauseConditions()).extracting(RolloutStatus.PauseCondition::reason).containsExactly("CanaryPauseStep");

    rollouts.promote("walk");

    RolloutStatus done = awaitHealthy("walk");
    within(30).until(() -> specReplicas(rollouts.replicaSet("walk", oldHash)) == 0
        && rollouts.readyPodsByHash("walk").getOrDefault(oldHash, 0) == 0);
    log("walk", "promoted, Healthy");
    assertThat(done.stableRS()).isEqualTo(newHash);
    assertThat(rollouts.readyPodsByHash("walk")).containsEntry(newHash, 5);
    assertThat(rollouts.replicaSet("walk", newHash).orElseThrow().getMetadata().getAnnotations())
        .containsEntry("sluice.dev/revision", "2");
  }

  private static Instant pauseStart(RolloutStatus s) {
    if (s == null || s.pauseConditions() == null || s.pauseConditions().isEmpty()) return null;
    return Instant.parse(s.pauseConditions().get(0).startTime());
  }

  @Test
  void abortSendsTrafficBackThenScalesTheCanaryDownAfterTheDelayRetryAndPromoteFull() {
    rollouts.create(Rollouts.manifest("abort", 4, "registry.example/app:1.0", "", "abortScaleDownDelaySeconds: 3", STEPS));
    String oldHash = awaitHealthy("abort").stableRS();
    rollouts.setImage("abort", "registry.example/app:2.0");
    within(60).until(() -> rollouts.status("abort").currentStepIndex() == 3 && "Paused".equals(rollouts.status("abort").phase()));
    String newHash = rollouts.status("abort").currentPodHash();
    int canaryPods = specReplicas(rollouts.replicaSet("abort", newHash));
    log("abort", "at pause {} before abort");
    assertThat(canaryPods).isEqualTo(2);

    rollouts.abort("abort");

    // traffic share goes back to stable first, while the canary still has its pods
    within(10).until(() -> Objects.equals(canaryWeight(rollouts.status("abort")), 0));
    log("abort", "aborted: weight back to stable");
    RolloutStatus aborted = rollouts.status("abort");
    assertThat(specReplicas(rollouts.replicaSet("abort", newHash))).isEqualTo(canaryPods);
    assertThat(aborted.phase()).isEqualTo("Degraded");
    assertThat(aborted.message()).containsIgnoringCase("abort");
    Instant abortedAt = Instant.parse(aborted.abortedAt());

    within(30).until(() -> specReplicas(rollouts.replicaSet("abort", newHash)) == 0);
    Instant scaledDown = Instant.now();
    log("abort", "canary scaled down after delay");
    assertThat(Duration.between(abortedAt, scaledDown)).isGreaterThanOrEqualTo(Duration.ofSeconds(3).minusMillis(50));
    within(30).until(() -> rollouts.readyPodsByHash("abort").getOrDefault(oldHash, 0) == 4);

    rollouts.retry("abort");

    within(60).until(() -> {
      RolloutStatus s = rollouts.status("abort");
      return !Boolean.TRUE.equals(s.abort()) && s.currentStepIndex() == 3 && "Paused".equals(s.phase());
    });
    log("abort", "retried: back at pause {}");
    assertThat(rollouts.readyPodsByHash("abort").get(newHash)).isEqualTo(2);

    rollouts.promoteFull("abort");

    RolloutStatus done = awaitHealthy("abort");
    log("abort", "promote --full: Healthy");
    assertThat(done.stableRS()).isEqualTo(newHash);
    within(30).until(() -> rollouts.readyPodsByHash("abort").getOrDefault(newHash, 0) == 4
        && specReplicas(rollouts.replicaSet("abort", oldHash)) == 0);
  }

  @Test
  void crashloopingCanaryNeverPassesItsFirstStepAndAbortsAtTheProgressDeadline() {
    rollouts.create(Rollouts.manifest("crash", 4, "registry.example/app:1.0",
        "progressDeadlineSeconds: 5\nprogressDeadlineAbort: true", "abortScaleDownDelaySeconds: 0", STEPS));
    String oldHash = awaitHealthy("crash").stableRS();

    rollouts.setImage("crash", "registry.example/app:crashloop");

    List<Integer> stepsSeen = new ArrayList<>();
    within(60).until(() -> {
      RolloutStatus s = rollouts.status("crash");
      stepsSeen.add(s.currentStepIndex());
      return Boolean.TRUE.equals(s.abort());
    });
    log("crash", "aborted at progress deadline");
    RolloutStatus s = rollouts.status("crash");
    assertThat(stepsSeen).containsOnly(0);
    assertThat(s.phase()).isEqualTo("Degraded");
    assertThat(Rollouts.condition(s, "Progressing")).hasValueSatisfying(c -> {
      assertThat(c.status()).isEqualTo("False");
      assertThat(c.reason()).isIn("ProgressDeadlineExceeded", "RolloutAborted");
    });
    assertThat(s.message()).containsIgnoringCase("abort");
    assertThat(canaryWeight(s)).isZero();
    assertThat(rollouts.readyPodsByHash("crash")).containsEntry(oldHash, 4);
  }

  @Test
  void invalidSpecTouchesNothingAndAFixedSpecProceeds() {
    rollouts.create(Rollouts.manifest("invalid", 2, "registry.example/app:1.0", "", "", "- setWeight: 50"));
    String oldHash = awaitHealthy("invalid").stableRS();
    var before = rollouts.replicaSets("invalid").stream()
        .map(rs -> rs.getMetadata().getName() + "=" + rs.getSpec().getReplicas() + "@" + rs.getMetadata().getResourceVersion()).toList();

    rollouts.patchSpec("invalid", """
        {"template":{"spec":{"containers":[{"name":"app","image":"registry.example/app:2.0"}]}},
         "strategy":{"canary":{"steps":[{"setWeight":150}]}}}""");

    within(30).until(() -> hasCondition(rollouts.status("invalid"), "InvalidSpec", "True"));
    RolloutStatus s = rollouts.status("invalid");
    log("invalid", "InvalidSpec");
    System.out.println("[invalid] message: " + s.message());
    assertThat(s.phase()).isEqualTo("Degraded");
    assertThat(s.message()).contains("steps[0].setWeight").contains("150");
    assertThat(rollouts.replicaSets("invalid").stream()
        .map(rs -> rs.getMetadata().getName() + "=" + rs.getSpec().getReplicas() + "@" + rs.getMetadata().getResourceVersion()).toList())
        .isEqualTo(before);

    rollouts.patchSpec("invalid", "{\"strategy\":{\"canary\":{\"steps\":[{\"setWeight\":50}]}}}");

    RolloutStatus done = awaitHealthy("invalid");
    log("invalid", "fixed spec rolled out");
    assertThat(hasCondition(done, "InvalidSpec", "True")).isFalse();
    assertThat(done.stableRS()).isNotEqualTo(oldHash);
  }

  @Test
  void rolloutWithBothStrategiesGetsInvalidSpecAndNoReplicaSet() {
    String yaml = Rollouts.manifest("both", 2, "registry.example/app:1.0", "", "", "- setWeight: 50")
        + "    blueGreen:\n      activeService: both-active\n";
    rollouts.create(yaml);

    within(30).until(() -> hasCondition(rollouts.status("both"), "InvalidSpec", "True"));
    assertThat(rollouts.status("both").message()).contains("spec.strategy");
    assertThat(rollouts.replicaSets("both")).isEmpty();
  }
}

package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.pauseUntilPromoted;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.RolloutSpec.WorkloadRef;
import dev.sluice.controller.plan.Action.CreateReplicaSet;
import dev.sluice.controller.plan.Action.ScaleDeployment;
import dev.sluice.controller.plan.FakeCluster.FakeDeployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** spec.workloadRef: the template from a Deployment, and that Deployment scaled down as the rollout takes over. */
class WorkloadReferencePlannerTest {
  static final String FIRST = "aaa";
  static final String SECOND = "bbb";
  static final String THIRD = "ccc";
  final FakeCluster c = new FakeCluster();

  /** A rollout of {@code replicas} taking its template from Deployment "web" (which runs {@code deploymentReplicas}). */
  void referencing(String scaleDown, int replicas, int deploymentReplicas) {
    c.spec.template = null;
    c.spec.workloadRef = new WorkloadRef("apps/v1", "Deployment", "web", scaleDown);
    c.spec.replicas(replicas);
    c.deployment = new FakeDeployment("web", Map.of("app", "web"), deploymentReplicas);
  }

  static List<ScaleDeployment> scales(Plan p) {
    return p.actions().stream().filter(a -> a instanceof ScaleDeployment).map(a -> (ScaleDeployment) a).toList();
  }

  @ParameterizedTest(name = "replicas {0}, available {1}, Deployment at {2} -> {3}")
  @CsvSource(textBlock = """
      5, 0, 5, 5
      5, 2, 5, 3
      5, 5, 5, 0
      5, 7, 5, 0
      5, 1, 3, 3
      5, 2, 0, 0
      0, 0, 4, 0
      """)
  void progressivelyKeepsWhatTheRolloutsAvailablePodsDoNotCoverNeverBelowZeroNorAboveWhatItHas(int replicas, int available,
      int deploymentReplicas, int expected) {
    assertThat(WorkloadReference.progressiveTarget(replicas, available, deploymentReplicas)).isEqualTo(expected);
  }

  @Test
  void onsuccessScalesTheDeploymentToZeroOnlyOnceTheRolloutIsHealthy() {
    referencing("onsuccess", 4, 4);
    c.readyAfter = (hash, n) -> Duration.ofSeconds(10);

    Plan first = c.reconcile();
    assertThat(first.actions()).contains(new CreateReplicaSet("web-" + FIRST, FIRST, 1, 4));
    assertThat(scales(first)).isEmpty();
    c.advance(Duration.ofSeconds(5));
    assertThat(scales(c.reconcile())).as("pods not ready yet: the Deployment keeps serving").isEmpty();

    c.advance(Duration.ofSeconds(5));
    Plan healthy = c.reconcile();
    assertThat(healthy.status().phase()).isEqualTo("Healthy");
    assertThat(scales(healthy)).containsExactly(new ScaleDeployment("web", 0));
    assertThat(c.settle().actions()).isEmpty();
    assertThat(c.deployment.replicas).isZero();
  }

  @Test
  void progressivelyLowersTheDeploymentAsTheRolloutsPodsBecomeAvailable() {
    referencing("progressively", 4, 4);
    // the n-th pod becomes ready n+1 seconds after its creation
    c.readyAfter = (hash, n) -> Duration.ofSeconds(n + 1);
    List<Integer> seen = new ArrayList<>();
    for (int second = 0; second < 8; second++) {
      c.reconcile();
      seen.add(c.deployment.replicas);
      assertThat(c.deployment.replicas).as("at second " + second)
          .isEqualTo(c.status.phase().equals("Healthy") ? 0 : Math.max(0, 4 - c.totalAvailable()));
      c.advance(Duration.ofSeconds(1));
    }
    assertThat(seen).startsWith(4, 3, 2, 1).endsWith(0);
    assertThat(c.deploymentScales).extracting(ScaleDeployment::replicas).containsExactly(3, 2, 1, 0);
  }

  @Test
  void neverLeavesTheDeploymentThroughDeployAndUpdate() {
    referencing("never", 3, 3);
    c.spec.steps(setWeight(50), pauseUntilPromoted());
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
    c.newDeploymentTemplate(SECOND);
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Paused");
    assertThat(c.deploymentScales).isEmpty();
    assertThat(c.deployment.replicas).isEqualTo(3);
  }

  @Test
  void withoutScaleDownTheDeploymentIsLeftAsWithNever() {
    referencing(null, 3, 3);
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
    assertThat(c.deploymentScales).isEmpty();
  }

  @Test
  void aMissingDeploymentIsAnInvalidSpecThatTouchesNothingUntilItAppears() {
    referencing("onsuccess", 2, 2);
    c.deployment = null;
    c.desiredHash = null;

    Plan waiting = c.reconcile();
    assertThat(waiting.actions()).isEmpty();
    assertThat(waiting.status().phase()).isEqualTo("Degraded");
    assertThat(RolloutPlannerTest.conditionStatus(waiting.status(), "InvalidSpec")).isEqualTo("True");
    assertThat(waiting.status().message()).isEqualTo(
        "spec.workloadRef.name: Deployment \"web\" not found in namespace default; the rollout waits for it");
    assertThat(waiting.events()).extracting(Plan.RolloutEvent::reason).containsExactly("InvalidSpec");
    assertThat(c.reconcile().events()).as("reported once").isEmpty();

    c.deployment = new FakeDeployment("web", Map.of("app", "web"), 2);
    c.desiredHash = FIRST;
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
    assertThat(c.spec(FIRST)).isEqualTo(2);
    assertThat(c.deployment.replicas).isZero();
  }

  @Test
  void aDeploymentWhosePodsTheSelectorDoesNotMatchIsAnInvalidSpec() {
    referencing("onsuccess", 2, 2);
    c.deployment.templateLabels = Map.of("app", "api");

    Plan refused = c.reconcile();
    assertThat(refused.actions()).isEmpty();
    assertThat(RolloutPlannerTest.conditionStatus(refused.status(), "InvalidSpec")).isEqualTo("True");
    assertThat(refused.status().message()).isEqualTo(
        "spec.selector: does not match the pod template labels of Deployment \"web\" (spec.workloadRef)");
    assertThat(c.deployment.replicas).isEqualTo(2);
  }

  @Test
  void aDeploymentTemplateChangeStartsAnUpdateAndAnotherMidUpdateStartsOverWithoutScalingTheDeploymentUp() {
    referencing("onsuccess", 4, 4);
    c.spec.steps(setWeight(50), pauseUntilPromoted());
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
    assertThat(c.deployment.replicas).isZero();
    long generation = c.generation;

    c.newDeploymentTemplate(SECOND);
    Plan started = c.reconcile();
    assertThat(started.actions()).contains(new CreateReplicaSet("web-" + SECOND, SECOND, 2, 2));
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Paused");
    assertThat(c.status.currentPodHash()).isEqualTo(SECOND);
    assertThat(c.status.currentStepIndex()).isEqualTo(1);
    assertThat(c.spec(SECOND)).isEqualTo(2);

    c.newDeploymentTemplate(THIRD);
    Plan again = c.reconcile();
    assertThat(again.actions()).contains(new CreateReplicaSet("web-" + THIRD, THIRD, 3, 2));
    c.settle();
    assertThat(c.status.currentPodHash()).isEqualTo(THIRD);
    assertThat(c.status.stableRS()).isEqualTo(FIRST);
    assertThat(c.status.currentStepIndex()).isEqualTo(1);
    assertThat(c.spec(SECOND)).isZero();
    assertThat(c.generation).as("the Rollout itself was not edited").isEqualTo(generation);
    assertThat(c.deploymentScales).extracting(ScaleDeployment::replicas).containsExactly(0);
  }
}

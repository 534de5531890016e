package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.pause;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pod counts in status while a scale-down's pods are still going: the ReplicaSet's own status
 * counts them a moment longer than its spec.replicas keeps them.
 */
class StatusCountsTest {
  static final String STABLE = "aaa";
  static final String CANARY = "bbb";
  final FakeCluster c = new FakeCluster();

  /** At the first timed pause of an update (2 replicas: 1 canary pod, the stable keeps 2), then the pause is over. */
  @BeforeEach
  void atTheEndOfTheFirstPause() {
    c.podsLeaveLate = true;
    c.spec.replicas(2).steps(setWeight(25), pause("5s"), setWeight(50), pause("5s"));
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
    c.newTemplate(CANARY);
    c.settle();
    assertThat(c.status.currentStepIndex()).isEqualTo(1);
    assertThat(counts(c.status)).containsExactly(3, 1, 3, 3);
    c.advance(Duration.ofSeconds(5));
  }

  @Test
  void theStatusAScaleDownWritesCountsOnlyThePodsKeptSoTheirGoingChangesNothing() {
    RolloutStatus atSecondPause = c.settle().status();

    assertThat(atSecondPause.currentStepIndex()).isEqualTo(3);
    assertThat(c.spec(STABLE)).isEqualTo(1);
    assertThat(c.observe().replicaSets()).filteredOn(rs -> rs.podTemplateHash().equals(STABLE))
        .singleElement().satisfies(rs -> assertThat(rs.replicas()).as("its status still counts the pod going").isEqualTo(2));
    assertThat(counts(atSecondPause)).containsExactly(2, 1, 2, 2);

    c.podsGone();
    assertThat(c.reconcile().status()).isEqualTo(atSecondPause);
  }

  @Test
  void aReplicaSetThatReportsAFailureIsCountedAsItReports() {
    c.settle();
    c.replicaSets.get(STABLE).replicaFailure = "pods \"web-aaa-p1\" is forbidden: cannot delete";

    RolloutStatus failing = c.reconcile().status();

    assertThat(counts(failing)).containsExactly(3, 1, 3, 3);
  }

  /** replicas, updatedReplicas, readyReplicas, availableReplicas. */
  static List<Integer> counts(RolloutStatus s) {
    return List.of(s.replicas(), s.updatedReplicas(), s.readyReplicas(), s.availableReplicas());
  }
}

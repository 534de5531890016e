package dev.sluice.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import org.junit.jupiter.api.Test;

/** A ReplicaSet update wakes its rollout when it changes what the rollout reads, and only then. */
class ReplicaSetChangesTest {
  private static final ReplicaSet RS = new ReplicaSetBuilder()
      .withNewMetadata().withName("web-abc").withNamespace("default").withUid("u1").withResourceVersion("10").withGeneration(2L)
      .addToLabels("rollouts-pod-template-hash", "abc").addToAnnotations("rollout.sluice.dev/revision", "2")
      .endMetadata()
      .withNewSpec().withReplicas(2).withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().endTemplate()
      .endSpec()
      .withNewStatus().withReplicas(2).withFullyLabeledReplicas(2).withReadyReplicas(1).withAvailableReplicas(1)
      .withObservedGeneration(2L).endStatus()
      .build();

  @Test
  void theReplicaSetControllersOwnBookkeepingWakesNobody() {
    ReplicaSet updated = new ReplicaSetBuilder(RS).editMetadata().withResourceVersion("11").withGeneration(3L).endMetadata()
        .editStatus().withObservedGeneration(3L).withFullyLabeledReplicas(1).endStatus().build();

    assertThat(ReplicaSetChanges.mattersToRollout(updated, RS)).isFalse();
  }

  @Test
  void podCountsConditionsSpecAndMetadataTheRolloutReadsWakeIt() {
    assertThat(ReplicaSetChanges.mattersToRollout(new ReplicaSetBuilder(RS).editStatus().withReadyReplicas(2).endStatus().build(), RS))
        .as("ready").isTrue();
    assertThat(ReplicaSetChanges.mattersToRollout(new ReplicaSetBuilder(RS).editStatus().withAvailableReplicas(2).endStatus().build(), RS))
        .as("available").isTrue();
    assertThat(ReplicaSetChanges.mattersToRollout(new ReplicaSetBuilder(RS).editStatus().withReplicas(1).endStatus().build(), RS))
        .as("pods").isTrue();
    assertThat(ReplicaSetChanges.mattersToRollout(new ReplicaSetBuilder(RS).editStatus().addToConditions(new ReplicaSetConditionBuilder()
        .withType("ReplicaFailure").withStatus("True").withReason("FailedCreate").build()).endStatus().build(), RS))
        .as("a failure condition").isTrue();
    assertThat(ReplicaSetChanges.mattersToRollout(new ReplicaSetBuilder(RS).editSpec().withReplicas(3).endSpec().build(), RS))
        .as("spec").isTrue();
    assertThat(ReplicaSetChanges.mattersToRollout(new ReplicaSetBuilder(RS).editMetadata()
        .addToAnnotations("rollout.sluice.dev/scale-down-deadline", "2026-12-06T10:00:00Z").endMetadata().build(), RS))
        .as("annotations").isTrue();
    assertThat(ReplicaSetChanges.mattersToRollout(new ReplicaSetBuilder(RS).editMetadata()
        .withDeletionTimestamp("2026-12-06T10:00:00Z").endMetadata().build(), RS)).as("deletion").isTrue();
    assertThat(ReplicaSetChanges.mattersToRollout(new ReplicaSetBuilder(RS).editMetadata().addNewOwnerReference()
        .withName("web").withUid("r1").withController(true).endOwnerReference().endMetadata().build(), RS)).as("owner").isTrue();
    assertThat(ReplicaSetChanges.mattersToRollout(new ReplicaSetBuilder(RS).withStatus(null).build(), RS)).as("status gone").isTrue();
  }
}

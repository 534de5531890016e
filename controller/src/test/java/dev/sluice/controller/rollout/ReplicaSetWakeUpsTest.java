package dev.sluice.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.SluiceLabels;
import dev.sluice.controller.plan.Action.SetScaleDownDeadline;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Which changes of a rollout's ReplicaSet wake the rollout: those a plan reads. */
class ReplicaSetWakeUpsTest {
  static ReplicaSet replicaSet() {
    return new ReplicaSetBuilder()
        .withNewMetadata().withName("web-bbb").withNamespace("prod").withResourceVersion("10").withGeneration(2L)
          .withCreationTimestamp("2026-12-07T00:00:00Z")
          .addToLabels(SluiceLabels.POD_TEMPLATE_HASH, "bbb").addToAnnotations(SluiceLabels.REVISION, "2")
          .addNewOwnerReference().withApiVersion("sluice.dev/v1alpha1").withKind("Rollout").withName("web").withUid("u1")
            .withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withReplicas(2)
          .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata().endTemplate()
        .endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(1).withFullyLabeledReplicas(1).withReadyReplicas(1)
          .withAvailableReplicas(1).endStatus()
        .build();
  }

  static ReplicaSet changed(UnaryOperator<ReplicaSetBuilder> change) {
    return change.apply(new ReplicaSetBuilder(replicaSet()).editMetadata().withResourceVersion("11").endMetadata()).build();
  }

  @Test
  void theReplicaSetControllerCatchingUpWithTheSpecAloneWakesNoRollout() {
    assertThat(RolloutObserver.plannerSees(replicaSet(), changed(b -> b.editStatus()
        .withObservedGeneration(2L).withFullyLabeledReplicas(2).endStatus()))).isFalse();
  }

  @Test
  void podCountsSpecOwnerDeletionAndAnnotationsWakeIt() {
    assertThat(RolloutObserver.plannerSees(replicaSet(), changed(b -> b.editStatus().withReplicas(2).endStatus()))).isTrue();
    assertThat(RolloutObserver.plannerSees(replicaSet(), changed(b -> b.editStatus().withReadyReplicas(2).endStatus()))).isTrue();
    assertThat(RolloutObserver.plannerSees(replicaSet(), changed(b -> b.editStatus().withAvailableReplicas(0).endStatus()))).isTrue();
    assertThat(RolloutObserver.plannerSees(replicaSet(), changed(b -> b.editSpec().withReplicas(0).endSpec()))).isTrue();
    assertThat(RolloutObserver.plannerSees(replicaSet(), changed(b -> b.editMetadata().withOwnerReferences().endMetadata()))).isTrue();
    assertThat(RolloutObserver.plannerSees(replicaSet(), changed(b -> b.editMetadata()
        .withDeletionTimestamp("2026-12-07T00:01:00Z").endMetadata()))).isTrue();
    assertThat(RolloutObserver.plannerSees(replicaSet(), changed(b -> b.editMetadata()
        .addToAnnotations(SetScaleDownDeadline.ANNOTATION, "2026-12-07T00:01:00Z").endMetadata()))).isTrue();
    assertThat(RolloutObserver.plannerSees(replicaSet(), changed(b -> b.editStatus()
        .addNewCondition().withType("ReplicaFailure").withStatus("True").withReason("FailedCreate").withMessage("quota")
        .endCondition().endStatus()))).isTrue();
  }

  @Test
  void aReplicaSetWithoutLabelsOrAnnotationsAlwaysWakesIt() {
    ReplicaSet bare = changed(b -> b.editMetadata().withAnnotations(null).endMetadata());
    assertThat(RolloutObserver.plannerSees(bare, bare)).isTrue();
  }
}

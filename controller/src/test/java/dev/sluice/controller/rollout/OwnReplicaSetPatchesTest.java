package dev.sluice.controller.rollout;

import static dev.sluice.controller.rollout.ReplicaSetWakeUpsTest.replicaSet;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A ReplicaSet patch whose watch event comes before its reply wakes no reconcile; a change a plan
 * reads that the patch did not make still wakes.
 */
class OwnReplicaSetPatchesTest {
  final OwnReplicaSetPatches own = new OwnReplicaSetPatches();
  final ReplicaSet scaledTo3 = new ReplicaSetBuilder(replicaSet()).editSpec().withReplicas(3).endSpec().build();

  static ReplicaSet event(String resourceVersion, UnaryOperator<ReplicaSetBuilder> change) {
    return change.apply(new ReplicaSetBuilder(replicaSet()).editMetadata().withResourceVersion(resourceVersion).endMetadata()
        .editSpec().withReplicas(3).endSpec()).build();
  }

  @Test
  void thePatchsEventBeforeItsReplyIsOwnOnce() {
    own.sending(scaledTo3);

    assertThat(own.isOwn(event("11", b -> b))).isTrue();
    assertThat(own.isOwn(event("11", b -> b))).as("a second delivery (a relist) wakes").isFalse();
  }

  @Test
  void whatAPlanDoesNotReadMayComeWithIt() {
    own.sending(scaledTo3);

    assertThat(own.isOwn(event("11", b -> b.editStatus().withObservedGeneration(3L).endStatus()))).isTrue();
  }

  @Test
  void whatAPlanReadsAndThePatchDidNotMakeWakes() {
    own.sending(scaledTo3);
    assertThat(own.isOwn(event("11", b -> b.editStatus().withReadyReplicas(2).endStatus()))).as("a pod became ready").isFalse();

    own.sending(scaledTo3);
    assertThat(own.isOwn(event("11", b -> b.editSpec().withReplicas(4).endSpec()))).as("someone else's scale").isFalse();

    own.sending(scaledTo3);
    assertThat(own.isOwn(event("11", b -> b.editMetadata().withDeletionTimestamp("2026-12-07T00:01:00Z").endMetadata())))
        .as("its deletion").isFalse();
  }

  @Test
  void anEventThatIsNotThePatchsEndsTheWaitForIt() {
    own.sending(scaledTo3);

    assertThat(own.isOwn(new ReplicaSetBuilder(replicaSet()).editStatus().withReadyReplicas(2).endStatus().build()))
        .as("the ReplicaSet controller's update from before the patch").isFalse();
    assertThat(own.isOwn(event("12", b -> b))).as("then the patch's own wakes, as any event does").isFalse();
  }

  @Test
  void onceAnsweredTheInformerKnowsThePatchItself() {
    own.sending(scaledTo3);
    own.answered(scaledTo3);

    assertThat(own.isOwn(event("11", b -> b))).isFalse();
  }

  @Test
  void anotherReplicaSetsEventIsNotOwn() {
    own.sending(scaledTo3);

    assertThat(own.isOwn(event("11", b -> b.editMetadata().withName("web-ccc").endMetadata()))).isFalse();
    assertThat(own.isOwn(event("11", b -> b))).isTrue();
  }
}

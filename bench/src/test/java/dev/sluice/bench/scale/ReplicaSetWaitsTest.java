package dev.sluice.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSetWaitsTest {
  private final ReplicaSetWaits waits = new ReplicaSetWaits();

  @Test
  void aWaitRunsFromTheScaleUpToAllReplicasAvailableEvenWhenRaisedAgainMeanwhile() {
    waits.observe("app-new", "app", 1, 0, 100); // created with a replica
    waits.observe("app-new", "app", 1, 0, 150);
    waits.observe("app-new", "app", 2, 0, 180); // raised again before any pod was available: the same wait
    waits.observe("app-new", "app", 2, 1, 190);
    assertThat(waits.waitingNow()).isEqualTo(1);
    waits.observe("app-new", "app", 2, 2, 200);
    waits.observe("app-new", "app", 3, 2, 300);
    waits.observe("app-new", "app", 3, 3, 350);

    assertThat(waits.endedSince(0)).containsOnlyKeys("app");
    assertThat(waits.endedSince(0).get("app")).containsExactly(new UpdateIdeal.Wait(100, 200), new UpdateIdeal.Wait(300, 350));
    assertThat(waits.endedSince(101).get("app")).containsExactly(new UpdateIdeal.Wait(300, 350));
    assertThat(waits.waitingNow()).isZero();
  }

  @Test
  void scalingDownOrStayingAvailableIsNoWaitAndAScaleDownEndsAnOpenOne() {
    waits.observe("app-old", "app", 2, 2, 10); // first seen already available
    waits.observe("app-old", "app", 1, 2, 20);
    waits.observe("app-old", "app", 0, 0, 30);
    assertThat(waits.endedSince(0)).isEmpty();

    waits.observe("app-new", "app", 2, 0, 40);
    waits.observe("app-new", "app", 0, 0, 45); // aborted: the wait ends with the scale-down
    assertThat(waits.endedSince(0).get("app")).containsExactly(new UpdateIdeal.Wait(40, 45));
  }

  @Test
  void aReplicaSetCountsForTheRolloutThatOwnsItAndOthersNot() {
    waits.onAdd(replicaSet("web-abc", "Rollout", "web", 1, null));
    waits.onUpdate(null, replicaSet("web-abc", "Rollout", "web", 1, 1));
    waits.onAdd(replicaSet("plain-xyz", "Deployment", "plain", 1, null));
    waits.onUpdate(null, replicaSet("plain-xyz", "Deployment", "plain", 1, 1));

    assertThat(waits.endedSince(0)).containsOnlyKeys("web");
    assertThat(waits.endedSince(0).get("web")).hasSize(1);
  }

  private static ReplicaSet replicaSet(String name, String ownerKind, String owner, int replicas, Integer available) {
    return new ReplicaSetBuilder().withNewMetadata().withName(name)
        .withOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withKind(ownerKind)
            .withName(owner).withApiVersion("x/v1").withUid("u").build()))
        .endMetadata().withNewSpec().withReplicas(replicas).endSpec()
        .withNewStatus().withAvailableReplicas(available).withReplicas(replicas).endStatus().build();
  }

  @Test
  void theReplicaSetsAreStillOnceNoneWasSeenChangingForTheWholeSpan() {
    assertThat(waits.stillFor(10, 0)).as("none seen yet").isTrue();
    waits.observe("app-old", "app", 2, 2, 100);
    waits.observe("app-old", "app", 0, 1, 130); // its pods still leaving after the wave
    assertThat(waits.stillFor(50, 170)).isFalse();
    assertThat(waits.stillFor(50, 180)).isTrue();
  }
}

package dev.sluice.cli.actions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OwnershipTest {

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @CsvSource(textBlock = """
      sluice.dev/v1alpha1,  Rollout,    web, uid-1, true
      sluice.dev/v1alpha1,  Rollout,    web, uid-2, false
      argoproj.io/v1alpha1, Rollout,    web, uid-1, false
      apps/v1,              Deployment, web, uid-1, false
      """)
  void aReplicaSetBelongsToTheRolloutItsOwnerReferencePointsAt(String apiVersion, String kind, String name, String uid, boolean owned) {
    Rollout rollout = new Rollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName("web").withUid("uid-1").build());
    ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web-abc")
        .addNewOwnerReference().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(uid).endOwnerReference()
        .endMetadata().build();

    assertThat(Ownership.ownedBy(rs, rollout)).isEqualTo(owned);
  }
}

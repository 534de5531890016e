package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OwnershipTest {

  @ParameterizedTest(name = "{0} {1} {2} {3} controller={4}")
  @CsvSource(textBlock = """
      sluice.dev/v1alpha1,  Rollout,    web, uid-1, true,  true,  true
      sluice.dev/v1alpha1,  Rollout,    web, uid-2, true,  false, false
      argoproj.io/v1alpha1, Rollout,    web, uid-1, true,  false, false
      apps/v1,              Deployment, web, uid-1, true,  false, false
      sluice.dev/v1alpha1,  Rollout,    web, uid-1, false, false, true
      """)
  void aReplicaSetIsControlledByTheRolloutItsControllerReferencePointsAtAndOwnedByAnyItsReferencesPointAt(String apiVersion,
      String kind, String name, String uid, boolean controller, boolean controlled, boolean owned) {
    Rollout rollout = new Rollout();
    rollout.setMetadata(new ObjectMetaBuilder().withName("web").withUid("uid-1").build());
    ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web-abc")
        .addNewOwnerReference().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(uid)
        .withController(controller).endOwnerReference()
        .endMetadata().build();

    assertThat(Ownership.controlledBy(rs, rollout)).as("controlled").isEqualTo(controlled);
    assertThat(Ownership.ownedBy(rs, rollout)).as("owned").isEqualTo(owned);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(textBlock = """
      sluice.dev/v1alpha1,  Rollout,    web
      argoproj.io/v1alpha1, Rollout,
      sluice.dev/v1alpha1,  AnalysisRun,
      apps/v1,              Deployment,
      """)
  void theRolloutAnObjectBelongsToIsFoundByKindAndApiGroup(String apiVersion, String kind, String rolloutName) {
    ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web-abc")
        .addNewOwnerReference().withApiVersion(apiVersion).withKind(kind).withName("web").withUid("uid-1").endOwnerReference()
        .endMetadata().build();

    assertThat(Ownership.rolloutOwner(rs).map(OwnerReference::getName)).isEqualTo(Optional.ofNullable(rolloutName));
  }
}

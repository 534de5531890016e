package dev.sluice.e2e.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.Rollouts;
import dev.sluice.e2e.routing.RouterFixture.Weights;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deleting a Rollout in the middle of an update gives back what Sluice changed in objects it does
 * not own, before the Rollout goes (its finalizer sluice.dev/release): the route object's weights
 * and rules as the user wrote them, and Service selectors without the pod-template-hash. Deleted
 * with --cascade=orphan, its ReplicaSets and pods stay, no longer owned, and the same is given back.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutDeletionE2ETest extends RoutedRolloutE2E {
  private static final String STEPS = """
      - setWeight: 50
      - setHeaderRoute:
          name: header-beta
          match: [{headerName: X-Beta, headerValue: {exact: "yes"}}]
      - pause: {}
      """;

  private RolloutStatus awaitPausedAt(String name, int index) {
    within(60).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return s != null && Objects.equals(s.currentStepIndex(), index) && "Paused".equals(s.phase());
    });
    return rollouts.status(name);
  }

  private Rollouts plain() {
    return new Rollouts(k8s, namespace);
  }

  private Map<String, String> selector(String service) {
    return k8s.services().inNamespace(namespace).withName(service).get().getSpec().getSelector();
  }

  private List<String> ruleNames(RouterFixture router) {
    List<String> names = new ArrayList<>();
    router.userObject(k8s, namespace).at("/spec/rules").forEach(r -> names.add(r.path("name").asText("")));
    return names;
  }

  private void awaitGone(String name) {
    within(60).until(() -> k8s.resources(Rollout.class).inNamespace(namespace).withName(name).get() == null);
  }

  @Test
  void deletedMidUpdateTheRouteAndServicesAreAsTheUserWroteThem() {
    RouterFixture router = RouterFixture.gatewayApi("leaving");
    rollouts.createAll(router.objects());
    JsonNode asWritten = router.userObject(k8s, namespace).at("/spec");
    rollouts.createAll(RoutedRollouts.manifest(router, 2, 0, "", STEPS));
    within(90).until(() -> "Healthy".equals(rollouts.phase("leaving")));
    assertThat(plain().get("leaving").getMetadata().getFinalizers()).contains("sluice.dev/release");

    rollouts.setImage("leaving", "registry.example/app:2.0");
    awaitPausedAt("leaving", 2);
    assertThat(router.storedWeights(k8s, namespace)).isEqualTo(new Weights(50, 50));
    assertThat(ruleNames(router)).contains("sluice-header-beta");
    assertThat(selector("leaving-canary")).containsKey(SluiceLabels.POD_TEMPLATE_HASH);

    k8s.resources(Rollout.class).inNamespace(namespace).withName("leaving").delete();
    awaitGone("leaving");

    assertThat(router.userObject(k8s, namespace).at("/spec")).as("the HTTPRoute's spec as the user wrote it").isEqualTo(asWritten);
    assertThat(router.storedWeights(k8s, namespace)).isEqualTo(new Weights(0, 100));
    assertThat(selector("leaving-canary")).isEqualTo(Map.of("app", "leaving"));
    assertThat(selector("leaving-stable")).isEqualTo(Map.of("app", "leaving"));
    within(60).until(() -> plain().replicaSets("leaving").isEmpty());
  }

  @Test
  void deletedWithCascadeOrphanTheReplicaSetsStayUnownedAndServicesAreGivenBack() {
    rollouts.createAll("""
        apiVersion: v1
        kind: Service
        metadata: {name: orphaned-stable}
        spec: {selector: {app: orphaned}, ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: orphaned-canary}
        spec: {selector: {app: orphaned}, ports: [{port: 80}]}
        """);
    plain().create(Rollouts.manifest("orphaned", 2, "registry.example/app:1.0", "", """
        canaryService: orphaned-canary
        stableService: orphaned-stable
        """, "- setWeight: 50\n- pause: {}"));
    within(90).until(() -> "Healthy".equals(rollouts.phase("orphaned")));
    rollouts.setImage("orphaned", "registry.example/app:2.0");
    RolloutStatus paused = awaitPausedAt("orphaned", 1);
    within(30).until(() -> Objects.equals(selector("orphaned-canary").get(SluiceLabels.POD_TEMPLATE_HASH), paused.currentPodHash()));

    k8s.resources(Rollout.class).inNamespace(namespace).withName("orphaned").withPropagationPolicy(DeletionPropagation.ORPHAN)
        .delete();
    awaitGone("orphaned");

    List<ReplicaSet> left = plain().replicaSets("orphaned");
    assertThat(left).extracting(rs -> rs.getMetadata().getLabels().get(SluiceLabels.POD_TEMPLATE_HASH))
        .containsExactlyInAnyOrder(paused.stableRS(), paused.currentPodHash());
    assertThat(left).allSatisfy(rs -> assertThat(rs.getMetadata().getOwnerReferences()).as("no longer owned").isEmpty());
    assertThat(rollouts.readyPodsByHash("orphaned")).as("their pods stay")
        .containsKeys(paused.stableRS(), paused.currentPodHash());
    assertThat(selector("orphaned-canary")).isEqualTo(Map.of("app", "orphaned"));
    assertThat(selector("orphaned-stable")).isEqualTo(Map.of("app", "orphaned"));
  }
}

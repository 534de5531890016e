package dev.sluice.e2e.routing;

import static dev.sluice.e2e.routing.RoutedRollouts.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.routing.RouterFixture.Weights;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A route object that is missing, or does not route to the canary, is a condition on the Rollout
 * naming the object and what is wrong; the rollout waits (nothing is created, no traffic moves)
 * and carries on by itself once the user fixes it.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteProblemsE2ETest extends RoutedRolloutE2E {
  private static final String STEPS = """
      - setWeight: 10
      - pause: {}
      """;

  private RolloutStatus awaitProgressingReason(String name, String reason) {
    within(30).until(() -> condition(rollouts.status(name), "Progressing").map(c -> reason.equals(c.reason())).orElse(false));
    return rollouts.status(name);
  }

  @Test
  void aMissingHttpRouteIsReportedAndTheRolloutStartsOnceItExists() {
    RouterFixture router = RouterFixture.gatewayApi("missing");
    String[] objects = router.objects().split("(?m)^---$");
    rollouts.createAll(objects[0] + "---" + objects[1]);
    rollouts.createAll(RoutedRollouts.manifest(router, 2, 0, "", STEPS));

    RolloutStatus waiting = awaitProgressingReason("missing", "TrafficRouteNotFound");
    System.out.printf("[missing] phase=%s message: %s%n", waiting.phase(), waiting.message());
    assertThat(waiting.phase()).isEqualTo("Degraded");
    assertThat(waiting.message()).isEqualTo(
        "TrafficRouteNotFound: HTTPRoute missing-route (trafficRouting.gatewayAPI) not found in namespace " + namespace);
    assertThat(condition(waiting, "Progressing").orElseThrow().status()).isEqualTo("False");
    assertThat(k8s.apps().replicaSets().inNamespace(namespace).withLabel("app", "missing").list().getItems()).isEmpty();

    rollouts.createAll(objects[2]);

    within(60).until(() -> "Healthy".equals(rollouts.phase("missing")));
    System.out.printf("[missing] HTTPRoute created: phase=%s%n", rollouts.status("missing").phase());
    assertThat(rollouts.readyPodsByHash("missing").values()).containsExactly(2);
  }

  @Test
  void aRouteThatDoesNotSendToTheCanaryServiceHoldsTheUpdateUntilItIsFixed() {
    RouterFixture router = RouterFixture.gatewayApi("malformed");
    rollouts.createAll(router.objects());
    rollouts.createAll(RoutedRollouts.manifest(router, 2, 0, "", STEPS));
    within(60).until(() -> "Healthy".equals(rollouts.phase("malformed")));
    String stable = rollouts.status("malformed").stableRS();
    var routes = k8s.genericKubernetesResources(router.apiVersion(), router.kind()).inNamespace(namespace)
        .withName(router.objectName());
    routes.patch(PatchContext.of(PatchType.JSON),
        "[{\"op\": \"replace\", \"path\": \"/spec/rules/0/backendRefs/1/name\", \"value\": \"someone-else\"}]");

    rollouts.setImage("malformed", "registry.example/app:2.0");

    RolloutStatus waiting = awaitProgressingReason("malformed", "TrafficRouteMalformed");
    System.out.printf("[malformed] phase=%s message: %s%n", waiting.phase(), waiting.message());
    assertThat(waiting.phase()).isEqualTo("Degraded");
    assertThat(waiting.message())
        .isEqualTo("TrafficRouteMalformed: HTTPRoute malformed-route: no backendRef to Service malformed-canary in spec.rules");
    assertThat(waiting.stableRS()).isEqualTo(stable);
    assertThat(rollouts.readyPodsByHash("malformed")).containsOnlyKeys(stable);

    routes.patch(PatchContext.of(PatchType.JSON),
        "[{\"op\": \"replace\", \"path\": \"/spec/rules/0/backendRefs/1/name\", \"value\": \"malformed-canary\"}]");

    within(60).until(() -> {
      RolloutStatus s = rollouts.status("malformed");
      return Objects.equals(s.currentStepIndex(), 1) && "Paused".equals(s.phase());
    });
    System.out.printf("[malformed] route fixed: step=%s phase=%s%n", rollouts.status("malformed").currentStepIndex(),
        rollouts.status("malformed").phase());
    assertThat(router.storedWeights(k8s, namespace)).isEqualTo(new Weights(10, 90));
  }
}

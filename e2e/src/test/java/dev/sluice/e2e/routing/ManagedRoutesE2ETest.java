package dev.sluice.e2e.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.routing.RouterFixture.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * setHeaderRoute and setMirrorRoute steps on the real cluster with Gateway API and Istio: the
 * managed routes appear in the user's route object at their steps, in managedRoutes order and in
 * front of the user's own rules, and are gone once the rollout completes, or is aborted; the user's
 * rules and annotations stay as they were throughout.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagedRoutesE2ETest extends RoutedRolloutE2E {
  private static final String STEPS = """
      - setWeight: 10
      - setHeaderRoute:
          name: header-beta
          match: [{headerName: X-Beta, headerValue: {exact: "yes"}}]
      - setMirrorRoute:
          name: mirror-api
          percentage: 50
          match: [{path: {prefix: /api}}]
      - pause: {}
      """;

  static Stream<RouterFixture> routers() {
    return Stream.of(RouterFixture.gatewayApi("hdr-gw"), RouterFixture.istio("hdr-istio"));
  }

  private RolloutStatus awaitPausedAt(String name, int index) {
    within(60).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return s != null && Objects.equals(s.currentStepIndex(), index) && "Paused".equals(s.phase());
    });
    return rollouts.status(name);
  }

  /** The names of the route entries (HTTPRoute rules, VirtualService http routes) in order. */
  private List<String> routeNames(RouterFixture router) {
    JsonNode object = router.userObject(k8s, namespace);
    JsonNode routes = router.kind().equals("HTTPRoute") ? object.at("/spec/rules") : object.at("/spec/http");
    List<String> names = new ArrayList<>();
    routes.forEach(r -> names.add(r.path("name").asText("")));
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routers")
  void headerAndMirrorRoutesComeAtTheirStepsAndGoWhenTheRolloutCompletesOrAborts(RouterFixture router) {
    String name = router.name();
    rollouts.createAll(router.objects());
    rollouts.createAll(RoutedRollouts.manifest(router, 2, 0, "scaleDownDelaySeconds: 0", STEPS));
    within(90).until(() -> "Healthy".equals(rollouts.phase(name)));
    JsonNode userFields = router.userOwnedFields(k8s, namespace);
    List<String> userRoutes = routeNames(router);

    rollouts.setImage(name, "registry.example/app:2.0");
    String canary = awaitPausedAt(name, 3).currentPodHash();

    JsonNode object = router.userObject(k8s, namespace);
    System.out.printf("[%s] at the pause: routes %s%n", name, routeNames(router));
    if (router.kind().equals("HTTPRoute")) {
      assertThat(routeNames(router)).containsExactly("sluice-header-beta", "sluice-mirror-api", "", "admin");
      JsonNode header = object.at("/spec/rules/0");
      assertThat(header.at("/matches/0/headers/0/name").asText()).isEqualTo("X-Beta");
      assertThat(header.at("/matches/0/headers/0/value").asText()).isEqualTo("yes");
      assertThat(header.at("/backendRefs/0/name").asText()).isEqualTo(router.canaryService());
      JsonNode mirror = object.at("/spec/rules/1");
      assertThat(mirror.at("/filters/0/type").asText()).isEqualTo("RequestMirror");
      assertThat(mirror.at("/filters/0/requestMirror/backendRef/name").asText()).isEqualTo(router.canaryService());
      assertThat(mirror.at("/filters/0/requestMirror/percent").asInt()).isEqualTo(50);
      assertThat(mirror.at("/matches/0/path/value").asText()).isEqualTo("/api");
    } else {
      assertThat(routeNames(router)).containsExactly("header-beta", "mirror-api", "primary", "legacy");
      JsonNode header = object.at("/spec/http/0");
      assertThat(header.at("/match/0/headers").fieldNames().next()).isEqualToIgnoringCase("X-Beta");
      assertThat(header.at("/route/0/destination/host").asText()).isEqualTo(router.canaryService());
      JsonNode mirror = object.at("/spec/http/1");
      assertThat(mirror.at("/mirror/host").asText()).isEqualTo(router.canaryService());
      assertThat(mirror.at("/mirrorPercentage/value").asDouble()).isEqualTo(50.0);
    }
    assertThat(router.storedWeights(k8s, namespace)).isEqualTo(new Weights(10, 90));

    rollouts.promote(name);
    within(90).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return "Healthy".equals(s.phase()) && canary.equals(s.stableRS());
    });
    System.out.printf("[%s] completed: routes %s%n", name, routeNames(router));
    assertThat(routeNames(router)).as("managed routes are gone once the rollout completes").isEqualTo(userRoutes);
    assertThat(router.storedWeights(k8s, namespace)).isEqualTo(new Weights(0, 100));

    rollouts.setImage(name, "registry.example/app:3.0");
    awaitPausedAt(name, 3);
    assertThat(routeNames(router)).hasSize(userRoutes.size() + 2);
    rollouts.abort(name);
    within(30).until(() -> routeNames(router).equals(userRoutes));
    System.out.printf("[%s] aborted: routes %s%n", name, routeNames(router));
    within(30).until(() -> Objects.equals(router.storedWeights(k8s, namespace).canary(), 0));

    assertThat(router.userOwnedFields(k8s, namespace)).as("what the user owns in the route object").isEqualTo(userFields);
  }
}

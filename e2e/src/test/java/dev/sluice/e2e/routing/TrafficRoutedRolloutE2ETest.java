package dev.sluice.e2e.routing;

import static dev.sluice.e2e.routing.RoutedRollouts.statusCanaryWeight;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.WeightDestination;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.routing.RouterFixture.Weights;
import dev.sluice.e2e.routing.TrafficTimeline.Event;
import dev.sluice.e2e.routing.TrafficTimeline.Kind;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A rollout through each traffic router on the real cluster, driven the way a user drives it:
 * setWeight 10 → 50 → 100 with the route object's weights read back at each step, a promotion,
 * then a second update that is aborted. Watches record the weight on the route object and the
 * canary's available pods over time, to show the order: the weight never rises before the pods for
 * it are available, and on abort it drops before any canary pod goes. The route objects live in the
 * API server under minimal CRDs written for these tests (no mesh or ingress controller runs here).
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrafficRoutedRolloutE2ETest extends RoutedRolloutE2E {
  private static final int REPLICAS = 4;
  private static final String STEPS = """
      - setWeight: 10
      - pause: {}
      - setWeight: 50
      - pause: {}
      - setWeight: 100
      - pause: {}
      """;

  static Stream<RouterFixture> routers() {
    return Stream.of(RouterFixture.gatewayApi("gw"), RouterFixture.istio("istio"), RouterFixture.nginx("nginx"),
        RouterFixture.smi("smi"));
  }

  private RolloutStatus awaitHealthy(String name, String stableRS) {
    within(90).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return s != null && "Healthy".equals(s.phase()) && (stableRS == null || stableRS.equals(s.stableRS()));
    });
    return rollouts.status(name);
  }

  private RolloutStatus awaitPausedAt(String name, int index) {
    within(60).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return s != null && Objects.equals(s.currentStepIndex(), index) && "Paused".equals(s.phase());
    });
    return rollouts.status(name);
  }

  private void log(RouterFixture router, String what) {
    RolloutStatus s = rollouts.status(router.name());
    Weights stored = router.storedWeights(k8s, namespace);
    System.out.printf("[%s] %-40s step=%s phase=%s %s says canary=%s stable=%s; status weight=%s; ready pods %s;"
            + " canary Service -> %s, stable Service -> %s%n",
        router.name(), what, s.currentStepIndex(), s.phase(), router.kind(), stored.canary(), stored.stable(),
        statusCanaryWeight(s), rollouts.readyPodsByHash(router.name()), rollouts.pinnedHash(router.canaryService()),
        rollouts.pinnedHash(router.stableService()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routers")
  void weightsFollowTheStepsOnlyAsFastAsThePodsAndAnAbortTakesThemBackFirst(RouterFixture router) {
    String name = router.name();
    rollouts.createAll(router.objects());
    // minReadySeconds: pods are available 2s after they are ready, so traffic has something to wait for
    rollouts.createAll(RoutedRollouts.manifest(router, REPLICAS, 2,
        "scaleDownDelaySeconds: 3\nabortScaleDownDelaySeconds: 3", STEPS));
    String v1 = awaitHealthy(name, null).stableRS();
    if (router.kind().equals("TrafficSplit")) {
      // Sluice created the TrafficSplit; what a user adds to it is theirs
      within(30).until(() -> router.weightObject(k8s, namespace) != null);
      k8s.genericKubernetesResources(router.apiVersion(), router.kind()).inNamespace(namespace).withName(router.objectName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"team\":\"payments\"},\"labels\":{\"tier\":\"web\"}}}");
    }
    JsonNode userFields = router.userOwnedFields(k8s, namespace);
    assertThat(router.storedWeights(k8s, namespace).canary()).as("canary weight after the first deploy").isIn(null, 0);
    log(router, "deployed v1");

    try (TrafficTimeline timeline = new TrafficTimeline(k8s, namespace, router)) {
      rollouts.setImage(name, "registry.example/app:2.0");
      String v2 = promoteThroughTheSteps(router, v1);

      RolloutStatus done = awaitHealthy(name, v2);
      log(router, "promoted: v2 is the stable");
      assertThat(router.storedWeights(k8s, namespace)).isEqualTo(new Weights(0, 100));
      assertThat(done.canary().weights().canary()).isEqualTo(new WeightDestination(v2, router.canaryService(), 0));
      assertThat(done.canary().weights().stable()).isEqualTo(new WeightDestination(v2, router.stableService(), 100));
      assertThat(rollouts.pinnedHash(router.canaryService())).isEqualTo(v2);
      assertThat(rollouts.pinnedHash(router.stableService())).isEqualTo(v2);
      assertThat(rollouts.specReplicas(name, v1)).isZero();
      assertWeightRoseOnlyWithAvailablePods(timeline.awaitCaughtUp(), v2);
      assertOldStableKeptItsPodsAfterPromotion(timeline, v1, 3);

      rollouts.setImage(name, "registry.example/app:3.0");
      String v3 = awaitPausedAt(name, 1).currentPodHash();
      rollouts.promote(name);
      awaitPausedAt(name, 3);
      assertThat(router.storedWeights(k8s, namespace)).isEqualTo(new Weights(50, 50));
      log(router, "v3 at setWeight 50, aborting");

      long abortedAt = rollouts.abort(name);
      within(30).until(() -> Objects.equals(router.storedWeights(k8s, namespace).canary(), 0));
      // the weight goes back first; the status saying so is written after it, in the same reconcile
      within(30).until(() -> "Degraded".equals(rollouts.status(name).phase()));
      RolloutStatus aborted = rollouts.status(name);
      assertThat(aborted.message()).containsIgnoringCase("abort");
      assertThat(router.storedWeights(k8s, namespace)).isEqualTo(new Weights(0, 100));
      within(30).until(() -> rollouts.specReplicas(name, v3) == 0);
      within(30).until(() -> v2.equals(rollouts.pinnedHash(router.canaryService())));
      log(router, "aborted: traffic and pods back on v2");
      assertWeightLeftBeforeAnyCanaryPod(timeline.awaitCaughtUp(), abortedAt, v3, 3);

      assertThat(router.userOwnedFields(k8s, namespace)).as("what the user owns in the route object").isEqualTo(userFields);
      timeline.print(Map.of(v1, "v1", v2, "v2", v3, "v3"));
    }
  }

  /** Walks v2 through setWeight 10, 50, 100: at each pause the route object carries that weight. */
  private String promoteThroughTheSteps(RouterFixture router, String v1) {
    String name = router.name();
    String v2 = null;
    int[][] steps = {{1, 10, 1}, {3, 50, 2}, {5, 100, 4}};
    for (int[] step : steps) {
      RolloutStatus s = awaitPausedAt(name, step[0]);
      v2 = s.currentPodHash();
      int weight = step[1];
      log(router, "v2 at setWeight " + weight);
      assertThat(v2).isNotEqualTo(v1);
      assertThat(router.storedWeights(k8s, namespace)).isEqualTo(new Weights(weight, 100 - weight));
      assertThat(s.canary().weights().canary()).isEqualTo(new WeightDestination(v2, router.canaryService(), weight));
      assertThat(s.canary().weights().stable()).isEqualTo(new WeightDestination(v1, router.stableService(), 100 - weight));
      assertThat(rollouts.readyPodsByHash(name)).as("pods follow the weight; the stable keeps all of its")
          .containsEntry(v2, step[2]).containsEntry(v1, REPLICAS);
      assertThat(rollouts.pinnedHash(router.canaryService())).isEqualTo(v2);
      assertThat(rollouts.pinnedHash(router.stableService())).isEqualTo(v1);
      rollouts.promote(name);
    }
    return v2;
  }

  /** Every rise of the weight was written after the canary ReplicaSet reported the pods it needs as available. */
  private static void assertWeightRoseOnlyWithAvailablePods(TrafficTimeline timeline, String canary) {
    int previous = 0;
    int rises = 0;
    for (Event weight : timeline.weightChangesAfter(0)) {
      if (weight.value() > previous) {
        int needed = (REPLICAS * weight.value() + 99) / 100;
        assertThat(timeline.valueBefore(weight.revision(), Kind.AVAILABLE, canary))
            .as("available canary pods when the weight rose to %d", weight.value()).isGreaterThanOrEqualTo(needed);
        rises++;
      }
      previous = weight.value();
    }
    assertThat(rises).as("weight rises recorded").isEqualTo(3);
  }

  /** After the promotion the old stable kept its pods for scaleDownDelaySeconds. */
  private static void assertOldStableKeptItsPodsAfterPromotion(TrafficTimeline timeline, String oldStable, int delaySeconds) {
    Event allTraffic = timeline.events().stream().filter(e -> e.kind() == Kind.WEIGHT && e.value() == 100).findFirst()
        .orElseThrow();
    Event scaledDown = timeline.firstAfter(allTraffic.revision(),
        e -> e.kind() == Kind.SCALED && oldStable.equals(e.hash()) && e.value() < REPLICAS).orElseThrow();
    assertThat(Duration.between(allTraffic.seen(), scaledDown.seen()))
        .as("old stable scaled down after the promotion").isGreaterThanOrEqualTo(Duration.ofSeconds(delaySeconds).minusMillis(500));
  }

  /** On abort the weight went to 0 before any canary pod was removed, and the pods waited abortScaleDownDelaySeconds. */
  private static void assertWeightLeftBeforeAnyCanaryPod(TrafficTimeline timeline, long abortedAt, String canary,
      int delaySeconds) {
    within(30).until(() -> timeline.firstAfter(abortedAt, e -> e.kind() == Kind.POD_GOING && canary.equals(e.hash())).isPresent());
    Event weightZero = timeline.firstAfter(abortedAt, e -> e.kind() == Kind.WEIGHT && e.value() == 0).orElseThrow();
    Event firstPodGoes = timeline.firstAfter(abortedAt, e -> canary.equals(e.hash())
        && (e.kind() == Kind.POD_GOING || (e.kind() == Kind.SCALED && e.value() < 2))).orElseThrow();
    assertThat(weightZero.revision()).as("weight 0 written before the canary lost a pod").isLessThan(firstPodGoes.revision());
    assertThat(Duration.between(weightZero.seen(), firstPodGoes.seen()))
        .as("canary pods kept for abortScaleDownDelaySeconds").isGreaterThanOrEqualTo(Duration.ofSeconds(delaySeconds).minusMillis(500));
  }
}

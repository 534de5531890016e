package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.canaryScaleReplicas;
import static dev.sluice.controller.plan.SpecBuilder.headerRoute;
import static dev.sluice.controller.plan.SpecBuilder.mirrorRoute;
import static dev.sluice.controller.plan.SpecBuilder.pauseUntilPromoted;
import static dev.sluice.controller.plan.SpecBuilder.removeHeaderRoute;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import dev.sluice.api.v1alpha1.RolloutStatus.WeightDestination;
import dev.sluice.api.v1alpha1.TrafficRouting;
import dev.sluice.controller.plan.Action.CreateReplicaSet;
import dev.sluice.controller.plan.Action.PinServiceSelector;
import dev.sluice.controller.plan.Action.RemoveManagedRoutes;
import dev.sluice.controller.plan.Action.ScaleReplicaSet;
import dev.sluice.controller.plan.Action.SetRevision;
import dev.sluice.controller.plan.Action.SetScaleDownDeadline;
import dev.sluice.controller.plan.Action.SetTrafficWeight;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import dev.sluice.controller.plan.canary.TrafficPlanner;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The planner with a traffic router, on a {@link FakeCluster} whose route objects carry a weight
 * and managed routes: traffic and pods move separately, and the weight a user sees on the route
 * object only ever goes where the pods can take it.
 */
class TrafficRoutedPlannerTest {
  static final String STABLE = "aaa";
  static final String CANARY = "bbb";
  final FakeCluster c = new FakeCluster();

  @BeforeEach
  void gatewayApiBetweenTwoServices() {
    c.spec.gatewayApi("header-beta", "mirror-api");
    c.services.put("web-canary", Map.of("app", "web"));
    c.services.put("web-stable", Map.of("app", "web"));
  }

  void deployed() {
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
  }

  /** Deployed, the template changed to CANARY, and the planner let run until it waits. */
  Plan updatedAndSettled() {
    deployed();
    c.newTemplate(CANARY);
    return c.settle();
  }

  static List<String> reasons(Plan p) {
    return p.events().stream().map(RolloutEvent::reason).toList();
  }

  static Optional<RolloutCondition> condition(RolloutStatus s, String type) {
    return s.conditions().stream().filter(x -> x.type().equals(type)).findFirst();
  }

  WeightDestination canaryWeights() {
    return c.status.canary().weights().canary();
  }

  WeightDestination stableWeights() {
    return c.status.canary().weights().stable();
  }

  String pinned(String service) {
    return c.services.get(service).get("sluice.dev/pod-template-hash");
  }

  @Nested
  class SetWeight {
    @ParameterizedTest(name = "{0} replicas, setWeight {1} of {2}: {3} canary pods, the stable keeps all")
    @CsvSource({
        "10, 20,  100,  2",
        "4,  10,  100,  1",
        "4,  50,  100,  2",
        "4,  100, 100,  4",
        "3,  33,  100,  1",
        "10, 5,   1000, 1",
        "10, 250, 1000, 3",
    })
    void scalesTheCanaryForItsWeightAndSendsThatWeightThroughTheRouter(int replicas, int weight, int max, int canaryPods) {
      c.spec.replicas(replicas).steps(setWeight(weight), pauseUntilPromoted());
      c.spec.trafficRouting = new TrafficRouting(null, null, null, c.spec.trafficRouting.gatewayAPI(), null, max);
      updatedAndSettled();

      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.spec(CANARY)).isEqualTo(canaryPods);
      assertThat(c.spec(STABLE)).isEqualTo(replicas);
      assertThat(c.router.weight).isEqualTo(weight);
      assertThat(canaryWeights()).isEqualTo(new WeightDestination(CANARY, "web-canary", weight));
      assertThat(stableWeights()).isEqualTo(new WeightDestination(STABLE, "web-stable", max - weight));
      assertThat(pinned("web-canary")).isEqualTo(CANARY);
      assertThat(pinned("web-stable")).isEqualTo(STABLE);
    }

    @Test
    void theWeightIsSetOnlyOnceTheCanaryPodsAreAvailableAndTheStepEndsOnlyWhenTheRouterReportsIt() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      deployed();
      c.readyAfter = (hash, n) -> Duration.ofSeconds(60);
      c.newTemplate(CANARY);

      Plan first = c.reconcile();
      // no surge limit with a router: the canary grows beside a full stable
      assertThat(first.actions()).containsExactly(new CreateReplicaSet("web-bbb", CANARY, 2, 2));
      c.advance(Duration.ofSeconds(59));
      assertThat(c.settle().actions()).isEmpty();
      assertThat(c.router.written).isEmpty();
      assertThat(canaryWeights()).isEqualTo(new WeightDestination(STABLE, "web-canary", 0));

      c.advance(Duration.ofSeconds(1));
      Plan set = c.reconcile();
      assertThat(set.actions()).containsExactly(
          new PinServiceSelector("web-canary", CANARY), new SetTrafficWeight(20, CANARY, STABLE));
      // what is in place is reported, and the step waits for the router to say so
      assertThat(set.status().canary().weights().canary().weight()).isZero();
      assertThat(set.status().currentStepIndex()).isZero();
      assertThat(set.requeueAfter()).contains(TrafficPlanner.CONFIRM_AFTER);

      Plan confirmed = c.reconcile();
      assertThat(confirmed.actions()).isEmpty();
      assertThat(confirmed.status().currentStepIndex()).isEqualTo(1);
      assertThat(confirmed.status().canary().weights().canary().weight()).isEqualTo(20);
      assertThat(reasons(confirmed)).containsExactly("TrafficWeightChanged", "StepStarted", "RolloutPaused");
    }

    @Test
    void aWeightSomeoneElseChangesIsPutBackAndTheCanaryGetsPodsForWhatItCarriesMeanwhile() {
      c.spec.steps(setWeight(20), pauseUntilPromoted(), setWeight(50), pauseUntilPromoted());
      updatedAndSettled();
      c.router.weight = 70;

      Plan p = c.reconcile();

      assertThat(p.actions()).containsExactly(new SetTrafficWeight(20, CANARY, STABLE), new ScaleReplicaSet("web-bbb", 7));
      assertThat(p.status().canary().weights().canary().weight()).isEqualTo(70);
      assertThat(reasons(p)).containsExactly("TrafficWeightChanged");
      c.settle();
      assertThat(c.router.weight).isEqualTo(20);
      assertThat(c.spec(CANARY)).isEqualTo(2);
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
    }

    @Test
    void aRouterThatCannotTellTheWeightGetsItWrittenAndTheStepWaits() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      c.router.weight = null;

      Plan first = c.reconcile();
      assertThat(first.actions()).contains(new SetTrafficWeight(0, STABLE, STABLE));
      c.settle();
      assertThat(c.router.weight).isZero();
      assertThat(c.status.phase()).isEqualTo("Healthy");
    }

    @Test
    void aLowerWeightGoesInPlaceBeforeAnyCanaryPodIsRemoved() {
      c.spec.steps(setWeight(50), pauseUntilPromoted(), setWeight(20), pauseUntilPromoted());
      updatedAndSettled();
      assertThat(c.spec(CANARY)).isEqualTo(5);

      c.promote();
      Plan lower = c.reconcile();
      assertThat(lower.actions()).containsExactly(new SetTrafficWeight(20, CANARY, STABLE));

      Plan pods = c.reconcile();
      assertThat(pods.actions()).containsExactly(new ScaleReplicaSet("web-bbb", 2));
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(c.router.written).containsExactly(50, 20);
    }

    @Test
    void setCanaryScaleDecouplesThePodsFromTheWeight() {
      c.spec.steps(canaryScaleReplicas(1), setWeight(50), pauseUntilPromoted());
      updatedAndSettled();

      assertThat(c.status.currentStepIndex()).isEqualTo(2);
      assertThat(c.spec(CANARY)).isEqualTo(1);
      assertThat(c.router.weight).isEqualTo(50);
    }
  }

  @Nested
  class Promotion {
    @Test
    void allTrafficGoesToTheCanaryThenItBecomesTheStableAndTheOldStableKeepsItsPodsForTheDelay() {
      c.spec.steps(setWeight(50), pauseUntilPromoted());
      updatedAndSettled();
      c.readyAfter = (hash, n) -> Duration.ofSeconds(10);

      c.promote();
      assertThat(c.reconcile().actions()).containsExactly(new ScaleReplicaSet("web-bbb", 10));
      c.advance(Duration.ofSeconds(10));
      Plan all = c.reconcile();
      assertThat(all.actions()).containsExactly(new SetTrafficWeight(100, CANARY, STABLE));
      assertThat(all.status().stableRS()).isEqualTo(STABLE);

      Plan done = c.reconcile();
      assertThat(done.status().stableRS()).isEqualTo(CANARY);
      // the stable Service moves to the new pods, then the (now identical) canary gets weight 0
      assertThat(done.actions()).containsExactly(
          new PinServiceSelector("web-stable", CANARY),
          new RemoveManagedRoutes(CANARY, CANARY),
          new SetTrafficWeight(0, CANARY, CANARY),
          new SetScaleDownDeadline("web-aaa", c.now.plusSeconds(30).toString()));
      assertThat(reasons(done)).contains("RolloutCompleted");

      c.settle();
      assertThat(c.router.weight).isZero();
      assertThat(c.spec(STABLE)).isEqualTo(10);
      assertThat(c.status.phase()).isEqualTo("Progressing");
      assertThat(c.status.message()).isEqualTo("old replicas are pending termination");
      assertThat(c.status.canary().weights().canary()).isEqualTo(new WeightDestination(CANARY, "web-canary", 0));
      assertThat(c.status.canary().weights().stable()).isEqualTo(new WeightDestination(CANARY, "web-stable", 100));

      c.advance(Duration.ofSeconds(29));
      c.settle();
      assertThat(c.spec(STABLE)).isEqualTo(10);
      c.advance(Duration.ofSeconds(1));
      assertThat(c.reconcile().actions()).containsExactly(new ScaleReplicaSet("web-aaa", 0));
      c.settle();
      assertThat(c.status.phase()).isEqualTo("Healthy");
    }

    @Test
    void promoteFullSkipsTheStepsButStillMovesTrafficOnlyOnceTheCanaryHasAllItsPods() {
      c.spec.steps(setWeight(10), pauseUntilPromoted(), setWeight(50), pauseUntilPromoted());
      c.spec.scaleDownDelaySeconds = 0;
      updatedAndSettled();

      c.promoteFull();
      c.settle();

      assertThat(c.router.written).containsExactly(10, 100, 0);
      assertThat(c.status.stableRS()).isEqualTo(CANARY);
      assertThat(c.spec(STABLE)).isZero();
      assertThat(c.status.phase()).isEqualTo("Healthy");
    }

    @Test
    void atMostScaleDownDelayRevisionLimitOldStablesWait() {
      c.spec.steps(setWeight(50), pauseUntilPromoted());
      c.spec.scaleDownDelayRevisionLimit = 1;
      updatedAndSettled();
      c.promote();
      c.settle();
      assertThat(c.spec(STABLE)).isEqualTo(10);

      c.newTemplate("ccc");
      c.settle();
      c.promote();
      c.settle();

      assertThat(c.status.stableRS()).isEqualTo("ccc");
      assertThat(c.spec(CANARY)).as("the newest old stable waits").isEqualTo(10);
      assertThat(c.spec(STABLE)).as("the older one is scaled down at once").isZero();
    }
  }

  @Nested
  class ManagedRoutes {
    @Test
    void headerAndMirrorRoutesAreSetAtTheirStepsAndRemovedWhenTheRolloutCompletes() {
      c.spec.steps(setWeight(10), headerRoute("header-beta", "X-Beta", "yes"), mirrorRoute("mirror-api", 20),
          pauseUntilPromoted(), removeHeaderRoute("header-beta"), pauseUntilPromoted());
      updatedAndSettled();

      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(c.router.managed).containsOnlyKeys("header-beta", "mirror-api");

      c.promote();
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(5);
      assertThat(c.router.managed).containsOnlyKeys("mirror-api");

      c.promote();
      c.settle();
      assertThat(c.status.stableRS()).isEqualTo(CANARY);
      assertThat(c.router.managed).isEmpty();
    }

    @Test
    void aRouteReachedInThePlanThatCompletesTheRolloutIsNotLeftBehind() {
      c.spec.steps(setWeight(100), headerRoute("header-beta", "X-Beta", "yes"));
      c.spec.scaleDownDelaySeconds = 0;
      updatedAndSettled();

      assertThat(c.status.stableRS()).isEqualTo(CANARY);
      assertThat(c.router.managed).isEmpty();
      assertThat(c.status.phase()).isEqualTo("Healthy");
    }

    @Test
    void anAbortRemovesThemAtOnce() {
      c.spec.steps(setWeight(10), headerRoute("header-beta", "X-Beta", "yes"), pauseUntilPromoted());
      updatedAndSettled();
      assertThat(c.router.managed).containsOnlyKeys("header-beta");

      c.abort();
      Plan aborted = c.reconcile();

      assertThat(aborted.actions()).containsExactly(
          new RemoveManagedRoutes(CANARY, STABLE), new SetTrafficWeight(0, CANARY, STABLE));
      assertThat(c.router.managed).isEmpty();
    }
  }

  @Nested
  class Abort {
    @Test
    void theWeightGoesTo0FirstAndTheCanaryPodsGoOnlyAfterTheDelay() {
      c.spec.steps(setWeight(50), pauseUntilPromoted());
      updatedAndSettled();

      c.abort();
      Plan aborted = c.reconcile();
      assertThat(aborted.actions()).containsExactly(
          new RemoveManagedRoutes(CANARY, STABLE), new SetTrafficWeight(0, CANARY, STABLE));
      assertThat(aborted.status().phase()).isEqualTo("Degraded");

      Plan back = c.reconcile();
      assertThat(back.actions()).as("the canary Service follows the traffic back to the stable")
          .containsExactly(new PinServiceSelector("web-canary", STABLE));
      assertThat(c.status.canary().weights().canary()).isEqualTo(new WeightDestination(STABLE, "web-canary", 0));

      c.advance(Duration.ofSeconds(29));
      assertThat(c.settle().actions()).isEmpty();
      assertThat(c.spec(CANARY)).isEqualTo(5);
      c.advance(Duration.ofSeconds(1));
      assertThat(c.reconcile().actions()).containsExactly(new ScaleReplicaSet("web-bbb", 0));
    }

    @Test
    void theCanaryKeepsItsPodsPastTheDelayWhileTheRouterStillSendsItTraffic() {
      c.spec.steps(setWeight(50), pauseUntilPromoted());
      c.spec.abortScaleDownDelaySeconds = 1;
      updatedAndSettled();
      c.router.brokenWrite = new TrafficObservation.Problem("TrafficRouteUpdateFailed",
          "could not update HTTPRoute web-route in namespace default: etcdserver: request timed out", true);

      c.abort();
      c.settle();
      c.advance(Duration.ofSeconds(5));
      Plan stuck = c.settle();

      assertThat(stuck.status().phase()).isEqualTo("Degraded");
      assertThat(stuck.status().message()).startsWith("TrafficRouteUpdateFailed: could not update HTTPRoute web-route");
      assertThat(stuck.requeueAfter()).contains(RolloutPlanner.TRAFFIC_RETRY);
      assertThat(c.spec(CANARY)).isEqualTo(5);
      assertThat(c.router.weight).isEqualTo(50);

      c.router.brokenWrite = null;
      c.settle();
      assertThat(c.router.weight).isZero();
      // the abort took effect only now: the delay counts from here
      assertThat(c.status.abortedAt()).isEqualTo(c.now.toString());
      assertThat(c.spec(CANARY)).isEqualTo(5);
      c.advance(Duration.ofSeconds(1));
      c.settle();
      assertThat(c.spec(CANARY)).isZero();
      assertThat(c.status.abort()).isTrue();
    }

    @Test
    void retryStartsTheStepsAgainWithTheWeightFollowingThePods() {
      c.spec.steps(setWeight(50), pauseUntilPromoted());
      updatedAndSettled();
      c.abort();
      c.settle();
      c.advance(Duration.ofSeconds(30));
      c.settle();
      assertThat(c.spec(CANARY)).isZero();

      c.retry();
      c.settle();

      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.router.written).containsExactly(50, 0, 50);
      assertThat(pinned("web-canary")).isEqualTo(CANARY);
    }
  }

  @Nested
  class DynamicStableScale {
    @BeforeEach
    void dynamic() {
      c.spec.dynamicStableScale = true;
      c.spec.steps(setWeight(30), pauseUntilPromoted(), setWeight(60), pauseUntilPromoted(), setWeight(20),
          pauseUntilPromoted());
    }

    @Test
    void theStableShrinksOnlyAfterTrafficHasLeftIt() {
      deployed();
      c.newTemplate(CANARY);
      c.reconcile();
      Plan set = c.reconcile();
      assertThat(set.actions()).contains(new SetTrafficWeight(30, CANARY, STABLE));
      assertThat(set.actions()).noneMatch(a -> a instanceof ScaleReplicaSet s && s.name().equals("web-aaa"));

      Plan shrink = c.reconcile();
      assertThat(shrink.actions()).containsExactly(new ScaleReplicaSet("web-aaa", 7));
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.spec(STABLE)).isEqualTo(7);
    }

    @Test
    void theStableGrowsAndBecomesAvailableBeforeTrafficComesBack() {
      updatedAndSettled();
      c.promote();
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(c.spec(STABLE)).isEqualTo(4);
      c.readyAfter = (hash, n) -> Duration.ofSeconds(20);

      c.promote();
      Plan grow = c.reconcile();
      assertThat(grow.actions()).containsExactly(new ScaleReplicaSet("web-aaa", 8));
      c.advance(Duration.ofSeconds(19));
      c.settle();
      assertThat(c.router.weight).isEqualTo(60);

      c.advance(Duration.ofSeconds(1));
      assertThat(c.reconcile().actions()).containsExactly(new SetTrafficWeight(20, CANARY, STABLE));
      c.settle();
      assertThat(c.spec(CANARY)).isEqualTo(2);
      assertThat(c.status.currentStepIndex()).isEqualTo(5);
    }

    @Test
    void anAbortScalesTheStableBackUpBeforeTheWeightLeavesTheCanary() {
      updatedAndSettled();
      c.promote();
      c.settle();
      c.readyAfter = (hash, n) -> Duration.ofSeconds(20);

      c.abort();
      Plan aborted = c.reconcile();
      assertThat(aborted.actions()).containsExactly(new RemoveManagedRoutes(CANARY, STABLE), new ScaleReplicaSet("web-aaa", 10));
      c.advance(Duration.ofSeconds(19));
      c.settle();
      assertThat(c.router.weight).isEqualTo(60);
      assertThat(c.spec(CANARY)).isEqualTo(6);

      c.advance(Duration.ofSeconds(1));
      assertThat(c.reconcile().actions()).containsExactly(new SetTrafficWeight(0, CANARY, STABLE));
    }
  }

  @Nested
  class TemplateChangesMidUpdate {
    @Test
    void theWeightLeavesTheOldCanaryBeforeItsPodsGoAndThenFollowsTheNewOne() {
      c.spec.steps(setWeight(30), headerRoute("header-beta", "X-Beta", "yes"), pauseUntilPromoted());
      updatedAndSettled();

      c.newTemplate("ccc");
      Plan first = c.reconcile();
      assertThat(first.actions()).containsExactly(
          new RemoveManagedRoutes(CANARY, STABLE),
          new SetTrafficWeight(0, CANARY, STABLE),
          new CreateReplicaSet("web-ccc", "ccc", 3, 3));
      assertThat(c.spec(CANARY)).isEqualTo(3);

      Plan second = c.reconcile();
      assertThat(second.actions()).containsExactly(
          new PinServiceSelector("web-canary", "ccc"),
          new SetTrafficWeight(30, "ccc", STABLE),
          new ScaleReplicaSet("web-bbb", 0));
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(2);
      assertThat(c.router.managed).containsOnlyKeys("header-beta");
    }

    @Test
    void goingBackToTheStableTemplateTakesTheTrafficBackBeforeTheCanaryGoes() {
      c.spec.steps(setWeight(30), pauseUntilPromoted());
      updatedAndSettled();

      c.newTemplate(STABLE);
      Plan back = c.reconcile();

      assertThat(back.actions()).containsExactly(new RemoveManagedRoutes(CANARY, STABLE),
          new SetTrafficWeight(0, CANARY, STABLE), new SetRevision("web-aaa", 3));
      c.settle();
      assertThat(c.spec(CANARY)).isZero();
      assertThat(pinned("web-canary")).isEqualTo(STABLE);
      assertThat(c.status.phase()).isEqualTo("Healthy");
    }
  }

  @Nested
  class RouteProblems {
    @Test
    void aMissingRouteObjectIsReportedAndNothingMovesUntilItExists() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      deployed();
      RolloutStatus healthy = c.status;
      c.router.brokenRead = new TrafficObservation.Problem("TrafficRouteNotFound",
          "HTTPRoute web-route (trafficRouting.gatewayAPI) not found in namespace default", false);
      c.newTemplate(CANARY);

      Plan blocked = c.reconcile();

      assertThat(blocked.actions()).isEmpty();
      assertThat(blocked.requeueAfter()).contains(RolloutPlanner.TRAFFIC_RECHECK);
      assertThat(blocked.status().phase()).isEqualTo("Degraded");
      assertThat(blocked.status().message())
          .isEqualTo("TrafficRouteNotFound: HTTPRoute web-route (trafficRouting.gatewayAPI) not found in namespace default");
      assertThat(condition(blocked.status(), "Progressing")).hasValueSatisfying(p -> {
        assertThat(p.status()).isEqualTo("False");
        assertThat(p.reason()).isEqualTo("TrafficRouteNotFound");
      });
      assertThat(blocked.status().currentPodHash()).isEqualTo(healthy.currentPodHash());
      assertThat(reasons(blocked)).containsExactly("TrafficRouteNotFound");
      assertThat(reasons(c.reconcile())).as("reported once").isEmpty();

      c.router.brokenRead = null;
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.router.weight).isEqualTo(20);
      assertThat(condition(c.status, "Progressing").orElseThrow().reason()).isEqualTo("RolloutPaused");
    }

    @Test
    void aRouteObjectThatCannotTakeTheWeightStopsThePlanWhereItFailed() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      updatedAndSettled();
      c.router.brokenWrite = new TrafficObservation.Problem("TrafficRouteMalformed",
          "HTTPRoute web-route: no backendRef to Service web-canary in spec.rules", false);
      c.promote();

      c.settle();

      assertThat(c.status.phase()).isEqualTo("Degraded");
      assertThat(c.status.message()).isEqualTo(
          "TrafficRouteMalformed: HTTPRoute web-route: no backendRef to Service web-canary in spec.rules");
      assertThat(c.router.weight).isEqualTo(20);
      assertThat(c.status.stableRS()).isEqualTo(STABLE);
    }
  }

  @Nested
  class UserPause {
    @Test
    void specPausedMovesNoTraffic() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      deployed();
      c.spec.paused = true;
      c.newTemplate(CANARY);
      c.settle();
      assertThat(c.router.written).isEmpty();

      c.spec.paused = null;
      c.settle();
      assertThat(c.router.weight).isEqualTo(20);
    }
  }
}

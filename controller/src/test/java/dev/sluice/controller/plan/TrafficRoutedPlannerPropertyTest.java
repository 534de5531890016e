package dev.sluice.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.TrafficRouting;
import dev.sluice.controller.plan.Action.ScaleReplicaSet;
import dev.sluice.controller.plan.canary.RoutingSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The planner with a traffic router against a simulated cluster and simulated route objects: pods
 * get ready after random delays (a crash-looping canary never does), the user promotes, aborts,
 * retries and changes the template at random times, the route objects sometimes cannot be read or
 * written, and time jumps by random amounts. After every reconcile the safety rules must hold;
 * without crashes, aborts and broken routes every update must end Healthy with no canary traffic.
 */
class TrafficRoutedPlannerPropertyTest {
  static final String OLD = "aaa";
  static final String NEW = "bbb";
  static final TrafficObservation.Problem MISSING = new TrafficObservation.Problem("TrafficRouteNotFound",
      "HTTPRoute web-route (trafficRouting.gatewayAPI) not found in namespace default", false);
  static final TrafficObservation.Problem UNREACHABLE = new TrafficObservation.Problem("TrafficRouteUpdateFailed",
      "could not update HTTPRoute web-route in namespace default: connection refused", true);

  record Scenario(int replicas, Object maxSurge, Object maxUnavailable, int maxWeight, List<CanaryStep> steps, long seed,
      boolean crashingCanary, boolean dynamicStableScale, int abortScaleDownDelaySeconds, int scaleDownDelaySeconds) {

    int minAvailable() {
      int surge = maxSurge instanceof Integer i ? i : (replicas * percent(maxSurge) + 99) / 100;
      int unavailable = maxUnavailable instanceof Integer i ? i : replicas * percent(maxUnavailable) / 100;
      if (surge == 0 && unavailable == 0) {
        unavailable = 1;
      }
      return Math.max(0, replicas - unavailable);
    }

    private static int percent(Object p) {
      return Integer.parseInt(((String) p).replace("%", ""));
    }

    boolean scalesCanaryByHand() {
      return steps.stream().anyMatch(s -> s.setCanaryScale() != null);
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return scenarios(Arbitraries.of(true, false));
  }

  @Provide
  Arbitrary<Scenario> healthyScenarios() {
    return scenarios(Arbitraries.just(false));
  }

  private Arbitrary<Scenario> scenarios(Arbitrary<Boolean> crashing) {
    Arbitrary<Object> intOrPercent = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 4).map(i -> (Object) i),
        Arbitraries.integers().between(0, 100).map(p -> (Object) (p + "%")));
    return Arbitraries.of(100, 1000).flatMap(max -> Combinators.combine(
            Arbitraries.integers().between(1, 12),
            intOrPercent,
            intOrPercent,
            steps(max).list().ofMaxSize(7),
            Arbitraries.longs(),
            crashing,
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 60))
        .as((replicas, surge, unavailable, steps, seed, crash, dynamic, abortDelay) -> new Scenario(replicas, surge,
            unavailable, max, steps, seed, crash, dynamic, abortDelay, dynamic ? 0 : (int) Math.floorMod(seed, 45L))))
        .filter(s -> !(isZero(s.maxSurge()) && isZero(s.maxUnavailable())));
  }

  private static Arbitrary<CanaryStep> steps(int max) {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between(0, max).map(CanaryStep::weight)),
        Tuple.of(2, Arbitraries.integers().between(0, 90).map(s -> CanaryStep.pause(s + "s"))),
        Tuple.of(2, Arbitraries.just(CanaryStep.pause(null))),
        Tuple.of(1, Arbitraries.integers().between(0, 6).map(SpecBuilder::canaryScaleReplicas)),
        Tuple.of(1, Arbitraries.just(SpecBuilder.matchTrafficWeight())),
        Tuple.of(1, Arbitraries.just(SpecBuilder.headerRoute("header-beta", "X-Beta", "yes"))),
        Tuple.of(1, Arbitraries.just(SpecBuilder.removeHeaderRoute("header-beta"))),
        Tuple.of(1, Arbitraries.integers().between(0, 100).map(p -> SpecBuilder.mirrorRoute("mirror-api", p))));
  }

  private static boolean isZero(Object v) {
    return v.equals(0) || v.equals("0%");
  }

  @Property(tries = 250)
  void trafficNeverOutrunsThePodsWhateverTheUserThePodsAndTheRouteObjectsDo(@ForAll("scenarios") Scenario s) {
    Simulation sim = new Simulation(s, true);
    sim.deployAndUpdate();
    for (int tick = 0; tick < 400; tick++) {
      sim.randomUserAction();
      sim.breakOrFixTheRouteNowAndThen();
      sim.step();
      sim.advanceRandomly();
    }
  }

  @Property(tries = 150)
  void withoutCrashesAbortsOrBrokenRoutesEveryUpdateEndsHealthyWithNoCanaryTraffic(@ForAll("healthyScenarios") Scenario s) {
    Simulation sim = new Simulation(s, false);
    sim.deployAndUpdate();
    for (int tick = 0; tick < 3000 && !sim.doneWithUpdate(); tick++) {
      sim.promoteIndefinitePausesNowAndThen();
      sim.step();
      sim.advanceRandomly();
    }
    RolloutStatus status = sim.c.status;
    assertThat(status.phase()).as("phase after the update").isEqualTo("Healthy");
    assertThat(status.stableRS()).isEqualTo(NEW);
    assertThat(sim.c.spec(NEW)).isEqualTo(s.replicas());
    assertThat(sim.c.spec(OLD)).isZero();
    assertThat(sim.c.router.weight).as("canary weight once promoted").isZero();
    assertThat(sim.c.router.managed).as("managed routes once promoted").isEmpty();
    assertThat(sim.c.services.get("web-stable")).containsEntry("sluice.dev/pod-template-hash", NEW);
    assertThat(sim.c.services.get("web-canary")).containsEntry("sluice.dev/pod-template-hash", NEW);
  }

  /** One simulated rollout; {@link #step()} plans, checks the rules, applies as the reconciler does. */
  static final class Simulation {
    final Scenario s;
    final FakeCluster c = new FakeCluster();
    final Random random;
    final boolean mayAbort;
    final RoutingSettings routing;
    boolean checking;

    Simulation(Scenario s, boolean mayAbort) {
      this.s = s;
      this.mayAbort = mayAbort;
      this.random = new Random(s.seed());
      c.spec.replicas(s.replicas()).surge(s.maxSurge(), s.maxUnavailable());
      c.spec.routing(new TrafficRouting(null, null, null, new TrafficRouting.GatewayApi("web-route", null, null),
          SpecBuilder.managed("header-beta", "mirror-api"), s.maxWeight()));
      c.spec.steps = List.copyOf(s.steps());
      c.spec.dynamicStableScale = s.dynamicStableScale() ? true : null;
      c.spec.scaleDownDelaySeconds = s.dynamicStableScale() ? null : s.scaleDownDelaySeconds();
      c.spec.abortScaleDownDelaySeconds = s.abortScaleDownDelaySeconds();
      c.services.put("web-canary", Map.of("app", "web"));
      c.services.put("web-stable", Map.of("app", "web"));
      c.readyAfter = (hash, n) -> Duration.ofMillis(random.nextInt(30_000));
      routing = RoutingSettings.of(c.spec.build().strategy().canary()).orElseThrow();
    }

    void deployAndUpdate() {
      for (int i = 0; i < 200 && !"Healthy".equals(phase()); i++) {
        step();
        c.advance(Duration.ofSeconds(5));
      }
      assertThat(phase()).as("initial deploy").isEqualTo("Healthy");
      if (s.crashingCanary()) {
        c.crashing.add(NEW);
      }
      c.newTemplate(NEW);
      checking = true;
    }

    boolean doneWithUpdate() {
      return "Healthy".equals(phase()) && NEW.equals(c.status.stableRS()) && c.spec(OLD) == 0;
    }

    String phase() {
      return c.status == null ? null : c.status.phase();
    }

    void step() {
      Observed observed = c.observe();
      Integer weightBefore = c.router.weight;
      Plan plan = c.planner.plan(observed, c.now);
      if (checking) {
        checkPlanningIsRepeatable(observed, plan);
        checkNoPodsLeaveWhileTheyCarryTraffic(observed, plan, weightBefore);
      }
      Plan stored = c.applyOrReplan(observed, plan);
      if (checking) {
        checkWeightAgainstThePods();
        checkWeightAgainstTheSteps(weightBefore);
        checkManagedRoutes(stored);
        assertThat(c.totalAvailable()).as("available pods never below replicas - maxUnavailable")
            .isGreaterThanOrEqualTo(s.minAvailable());
      }
    }

    private void checkPlanningIsRepeatable(Observed observed, Plan plan) {
      assertThat(new RolloutPlanner().plan(observed, c.now)).isEqualTo(plan);
      var rollout = new dev.sluice.api.v1alpha1.Rollout();
      rollout.setMetadata(observed.rollout().getMetadata());
      rollout.setSpec(observed.rollout().getSpec());
      rollout.setStatus(plan.status());
      Observed again = new Observed(rollout, observed.desiredHash(), observed.replicaSets(), observed.pods(),
          observed.services(), observed.traffic());
      Plan replanned = c.planner.plan(again, c.now);
      assertThat(replanned.status()).as("re-planning the produced status changes nothing").isEqualTo(plan.status());
      assertThat(replanned.events()).as("events only on transitions").isEmpty();
    }

    /** The canary's weight is never above what its available pods can take (or, with setCanaryScale, at least one pod). */
    private void checkWeightAgainstThePods() {
      Integer weight = c.router.weight;
      if (weight == null || weight == 0) {
        return;
      }
      int needed = s.scalesCanaryByHand() ? 1 : routing.canaryPodsFor(s.replicas(), weight);
      assertThat(c.available(c.router.weightHash)).as("available pods of %s carrying canary weight %d", c.router.weightHash, weight)
          .isGreaterThanOrEqualTo(needed);
      if (s.dynamicStableScale()) {
        String stable = c.status.stableRS();
        assertThat(c.available(stable)).as("available stable pods while the canary has weight %d", weight)
            .isGreaterThanOrEqualTo(routing.stablePodsFor(s.replicas(), weight));
      }
    }

    /** The weight never runs ahead of the steps: at most the step's weight (all of it once past the last step). */
    private void checkWeightAgainstTheSteps(Integer weightBefore) {
      Integer weight = c.router.weight;
      if (weight == null || weight.equals(weightBefore) || c.status.currentStepIndex() == null) {
        return;
      }
      int index = c.status.currentStepIndex();
      int goal = index >= s.steps().size() ? s.maxWeight() : new Steps(s.steps()).targetWeight(index);
      assertThat(weight).as("weight set at step %d", index).isLessThanOrEqualTo(goal);
    }

    /**
     * A ReplicaSet carrying canary traffic loses no pod below what that traffic needs, and an aborted
     * canary loses none at all until the router reports that its weight is 0.
     */
    private void checkNoPodsLeaveWhileTheyCarryTraffic(Observed observed, Plan plan, Integer weightBefore) {
      if (weightBefore == null || weightBefore == 0 || c.router.weightHash == null) {
        return;
      }
      String holder = c.router.weightHash;
      int before = observed.replicaSet(holder).map(Observed.ObservedReplicaSet::specReplicas).orElse(0);
      int needed = s.scalesCanaryByHand() ? 1 : routing.canaryPodsFor(s.replicas(), weightBefore);
      boolean aborted = Boolean.TRUE.equals(plan.status().abort());
      for (Action a : plan.actions()) {
        if (a instanceof ScaleReplicaSet scale && scale.name().equals("web-" + holder) && scale.replicas() < before) {
          assertThat(aborted).as("an aborted canary keeps its pods while it has weight %d", weightBefore).isFalse();
          assertThat(scale.replicas()).as("pods left to %s carrying weight %d", holder, weightBefore)
              .isGreaterThanOrEqualTo(needed);
        }
      }
    }

    /** No managed route stays once the rollout is aborted or promoted (unless the route object is out of reach). */
    private void checkManagedRoutes(Plan stored) {
      RolloutStatus status = stored.status();
      boolean blocked = "Degraded".equals(status.phase()) && status.message() != null && status.message().startsWith("TrafficRoute");
      boolean over = Boolean.TRUE.equals(status.abort()) || c.desiredHash.equals(status.stableRS());
      if (over && !blocked) {
        assertThat(c.router.managed).as("managed routes after an abort or a promotion").isEmpty();
      }
    }

    void breakOrFixTheRouteNowAndThen() {
      int dice = random.nextInt(1000);
      if (dice < 10) {
        c.router.brokenRead = c.router.brokenRead == null ? MISSING : null;
      } else if (dice < 20) {
        c.router.brokenWrite = c.router.brokenWrite == null ? UNREACHABLE : null;
      }
    }

    void randomUserAction() {
      if (c.status == null) {
        return;
      }
      int dice = random.nextInt(1000);
      if (dice < 40 && c.status.pauseConditions() != null) {
        c.promote();
      } else if (dice < 45) {
        c.promoteFull();
      } else if (dice < 65 && mayAbort) {
        c.abort();
      } else if (dice < 85 && Boolean.TRUE.equals(c.status.abort())) {
        c.retry();
      } else if (dice < 95) {
        c.spec.paused = !Boolean.TRUE.equals(c.spec.paused);
      } else if (dice < 100) {
        c.newTemplate(List.of(OLD, NEW, "ccc").get(random.nextInt(3)));
      }
    }

    void promoteIndefinitePausesNowAndThen() {
      if (Boolean.TRUE.equals(c.spec.paused) && random.nextInt(10) == 0) {
        c.spec.paused = null;
      }
      if (c.status != null && c.status.pauseConditions() != null && random.nextInt(20) == 0) {
        c.promote();
      }
      if (random.nextInt(500) == 0) {
        c.spec.paused = true;
      }
      if (random.nextInt(300) == 0) {
        c.promoteFull();
      }
    }

    void advanceRandomly() {
      int dice = random.nextInt(10);
      Duration requeue = c.history.get(c.history.size() - 1).requeueAfter().orElse(null);
      if (dice < 3) {
        return;
      }
      if (dice < 5 && requeue != null) {
        c.advance(requeue);
      } else if (dice < 9) {
        c.advance(Duration.ofMillis(random.nextInt(5_000)));
      } else {
        c.advance(Duration.ofSeconds(random.nextInt(60)));
      }
    }
  }
}

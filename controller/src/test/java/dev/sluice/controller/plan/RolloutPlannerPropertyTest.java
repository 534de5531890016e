package dev.sluice.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.controller.plan.Action.ScaleReplicaSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The planner against a simulated cluster: pods get ready after random delays (a crash-looping
 * canary never does), AnalysisRuns (of analysis steps, and of background analysis in a third of the
 * scenarios) end in random phases at random times, the user promotes, aborts and retries at random
 * times, and time jumps by random amounts. After every plan the safety rules must hold; without
 * crashes, failing analysis and aborts every update must end Healthy on the new template.
 */
class RolloutPlannerPropertyTest {
  static final String OLD = "aaa";
  static final String NEW = "bbb";

  record Scenario(int replicas, Object maxSurge, Object maxUnavailable, List<CanaryStep> steps, long seed,
      boolean crashingCanary, boolean progressDeadlineAbort, int abortScaleDownDelaySeconds) {

    int surgePods() {
      return maxSurge instanceof Integer i ? i : (replicas * percent(maxSurge) + 99) / 100;
    }

    int minAvailable() {
      int unavailable = maxUnavailable instanceof Integer i ? i : replicas * percent(maxUnavailable) / 100;
      if (surgePods() == 0 && unavailable == 0) {
        unavailable = 1;
      }
      return Math.max(0, replicas - unavailable);
    }

    private static int percent(Object p) {
      return Integer.parseInt(((String) p).replace("%", ""));
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
    Arbitrary<CanaryStep> step = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(0, 100).map(CanaryStep::weight)),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 90).map(s -> CanaryStep.pause(s + "s"))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 5000).map(ms -> CanaryStep.pause(ms + "ms"))),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(CanaryStep.pause(null))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 6).map(SpecBuilder::canaryScaleReplicas)),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 100).map(SpecBuilder::canaryScaleWeight)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(SpecBuilder.matchTrafficWeight())),
        net.jqwik.api.Tuple.of(2, Arbitraries.just(SpecBuilder.analysis(List.of("error-rate"), "service=web"))));
    return Combinators.combine(
            Arbitraries.integers().between(1, 20),
            intOrPercent,
            intOrPercent,
            step.list().ofMaxSize(6),
            Arbitraries.longs(),
            crashing,
            Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 60))
        .as(Scenario::new)
        .filter(s -> !(isZero(s.maxSurge()) && isZero(s.maxUnavailable())));
  }

  private static boolean isZero(Object v) {
    return v.equals(0) || v.equals("0%");
  }

  @Property(tries = 250)
  void safetyRulesHoldWhateverTheUserThePodsAndTheTemplateDo(@ForAll("scenarios") Scenario s) {
    Simulation sim = new Simulation(s, true);
    sim.deployAndUpdate();
    for (int tick = 0; tick < 400; tick++) {
      sim.randomUserAction();
      sim.step();
      sim.advanceRandomly();
    }
  }

  @Property(tries = 150)
  void withoutCrashesOrAbortsEveryUpdateEndsHealthyOnTheNewTemplate(@ForAll("healthyScenarios") Scenario s) {
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
    assertThat(sim.c.available(NEW)).isEqualTo(s.replicas());
    assertThat(sim.c.spec(OLD)).isZero();
  }

  /** One simulated rollout; {@link #step()} plans, checks the rules, applies. */
  static final class Simulation {
    final Scenario s;
    final FakeCluster c = new FakeCluster();
    final Random random;
    final boolean mayAbort;
    boolean checking;

    Simulation(Scenario s, boolean mayAbort) {
      this.s = s;
      this.mayAbort = mayAbort;
      this.random = new Random(s.seed());
      c.spec.replicas(s.replicas()).surge(s.maxSurge(), s.maxUnavailable());
      c.spec.steps = List.copyOf(s.steps());
      c.spec.progressDeadlineAbort = s.progressDeadlineAbort();
      c.spec.abortScaleDownDelaySeconds = s.abortScaleDownDelaySeconds();
      c.readyAfter = (hash, n) -> Duration.ofMillis(random.nextInt(30_000));
      c.templates.put("error-rate", RolloutAnalysisPlannerTest.template("error-rate", new AnalysisArgument("service", null, null)));
      if (random.nextInt(3) == 0) {
        c.spec.analysis = new RolloutAnalysis(List.of(new RolloutAnalysis.TemplateRef("error-rate", null)),
            List.of(new AnalysisArgument("service", "web", null)), null, null, null, random.nextInt(s.steps().size() + 1));
      }
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
      c.advanceRunsRandomly(random, mayAbort, "error-rate");
      Observed observed = c.observe();
      RolloutStatus before = c.status;
      Plan plan = c.planner.plan(observed, c.now);
      if (checking) {
        checkPlanningIsRepeatable(observed, plan);
        checkWeight(observed, before, plan);
        checkAbort(observed, plan);
        checkFailedAnalysisAborts(plan);
      }
      c.apply(plan);
      if (checking) {
        assertThat(c.totalPods()).as("pods never above replicas + maxSurge").isLessThanOrEqualTo(s.replicas() + s.surgePods());
        assertThat(c.totalAvailable()).as("available pods never below replicas - maxUnavailable")
            .isGreaterThanOrEqualTo(s.minAvailable());
        checkRuns(observed, plan);
      }
    }

    /** A Failed or Error run the rollout waits on ends in abort, with the weight back at 0. */
    private void checkFailedAnalysisAborts(Plan plan) {
      var canary = plan.status().canary();
      if (canary == null) {
        return;
      }
      for (var ref : java.util.Arrays.asList(canary.currentStepAnalysisRunStatus(), canary.currentBackgroundAnalysisRunStatus())) {
        boolean waitedOn = ref != null && (c.runs.get(ref.name()) == null || !c.runs.get(ref.name()).terminate);
        if (waitedOn && (ref.status().equals("Failed") || ref.status().equals("Error"))) {
          assertThat(plan.status().abort()).as("abort after " + ref).isTrue();
          assertThat(canary.weights().canary().weight()).as("weight after " + ref).isZero();
        }
      }
    }

    /**
     * Only the desired template's runs measure, at most one per analysis; none once it is the
     * stable; completed runs stay within the history limits.
     */
    private void checkRuns(Observed observed, Plan plan) {
      List<FakeCluster.FakeRun> live = c.runs.values().stream().filter(r -> !r.terminate).toList();
      assertThat(live).as("runs of other templates are terminated")
          .allMatch(r -> observed.desiredHash().equals(r.labels.get("sluice.dev/pod-template-hash")));
      assertThat(live.stream().map(r -> r.labels.get("sluice.dev/analysis-type") + r.labels.get("sluice.dev/step-index")).toList())
          .as("one run per analysis").doesNotHaveDuplicates();
      if (observed.desiredHash().equals(plan.status().stableRS())) {
        assertThat(live).as("no run left measuring once the update is over").isEmpty();
      }
      var canary = plan.status().canary();
      java.util.Set<String> referenced = new java.util.HashSet<>();
      if (canary != null && canary.currentStepAnalysisRunStatus() != null) referenced.add(canary.currentStepAnalysisRunStatus().name());
      if (canary != null && canary.currentBackgroundAnalysisRunStatus() != null) referenced.add(canary.currentBackgroundAnalysisRunStatus().name());
      long successful = c.runs.values().stream().filter(r -> "Successful".equals(r.phase) && !referenced.contains(r.name)).count();
      long unsuccessful = c.runs.values().stream()
          .filter(r -> r.completed() && !"Successful".equals(r.phase) && !referenced.contains(r.name)).count();
      // runs the plan terminated end Successful only now, after the plan pruned: one more each at most
      assertThat(successful).as("successful runs kept").isLessThanOrEqualTo(AnalysisRunCleanup.SUCCESSFUL_LIMIT + 2L);
      assertThat(unsuccessful).as("unsuccessful runs kept").isLessThanOrEqualTo(AnalysisRunCleanup.UNSUCCESSFUL_LIMIT);
    }

    private void checkPlanningIsRepeatable(Observed observed, Plan plan) {
      assertThat(new RolloutPlanner().plan(observed, c.now)).isEqualTo(plan);
      Observed withNewStatus = FakeCluster.withStatus(observed, plan.status());
      Plan again = c.planner.plan(withNewStatus, c.now);
      assertThat(again.status()).as("re-planning the produced status changes nothing").isEqualTo(plan.status());
      assertThat(again.events()).as("events only on transitions").isEmpty();
    }

    /** The canary's weight never runs ahead of the steps, and rises only once its pods are available. */
    private void checkWeight(Observed observed, RolloutStatus before, Plan plan) {
      RolloutStatus after = plan.status();
      if (after.canary() == null) {
        return;
      }
      int weight = after.canary().weights().canary().weight();
      String canary = observed.desiredHash();
      if (canary.equals(after.stableRS())) {
        assertThat(weight).as("weight once the canary is the stable").isZero();
        return;
      }
      int index = after.currentStepIndex() == null ? 0 : after.currentStepIndex();
      int previous = before != null && before.canary() != null && canary.equals(before.canary().weights().canary().podTemplateHash())
          ? before.canary().weights().canary().weight() : 0;
      assertThat(weight).as("weight never above the reached setWeight or the previous weight")
          .isLessThanOrEqualTo(Math.max(previous, lastSetWeightBefore(index)));
      if (weight > previous && !canaryScaleBefore(index)) {
        int canaryAvailable = observed.replicaSet(canary).map(Observed.ObservedReplicaSet::availableReplicas).orElse(0);
        assertThat(canaryAvailable).as("canary pods available when the weight rises to " + weight)
            .isGreaterThanOrEqualTo(s.replicas() * weight / 100);
      }
    }

    private void checkAbort(Observed observed, Plan plan) {
      if (!Boolean.TRUE.equals(plan.status().abort())) {
        return;
      }
      assertThat(plan.status().canary().weights().canary().weight()).as("weight on abort").isZero();
      String canary = observed.desiredHash();
      int canaryBefore = observed.replicaSet(canary).map(Observed.ObservedReplicaSet::specReplicas).orElse(0);
      boolean canaryScaledDown = plan.actions().stream()
          .anyMatch(a -> a instanceof ScaleReplicaSet sc && sc.name().equals("web-" + canary) && sc.replicas() < canaryBefore);
      if (canaryScaledDown) {
        Instant abortedAt = Instant.parse(plan.status().abortedAt());
        assertThat(s.abortScaleDownDelaySeconds()).as("abortScaleDownDelaySeconds 0 never scales the canary down").isPositive();
        assertThat(c.now).as("canary scaled down only after the delay")
            .isAfterOrEqualTo(abortedAt.plusSeconds(s.abortScaleDownDelaySeconds()));
      }
    }

    private int lastSetWeightBefore(int index) {
      for (int i = Math.min(index, s.steps().size()) - 1; i >= 0; i--) {
        if (s.steps().get(i).setWeight() != null) {
          return s.steps().get(i).setWeight();
        }
      }
      return 0;
    }

    private boolean canaryScaleBefore(int index) {
      return s.steps().stream().limit(index).anyMatch(st -> st.setCanaryScale() != null);
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
        // a new template (crashing like the first canary, or not), or back to one seen before
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

package dev.sluice.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
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

/**
 * Blue-green against a simulated cluster: pods get ready after random delays (a crash-looping new
 * template never does), pre- and post-promotion runs end in random phases at random times, the user
 * promotes, aborts, retries, pauses and changes the template at random times, and time jumps by
 * random amounts. After every plan: the active Service never points at a ReplicaSet with fewer than
 * {@code replicas} available pods (blue-green never lets an active pod go before the switch), and an
 * abort never leaves it on the aborted hash. Without failures every update ends Healthy with the
 * active Service on the new template.
 */
class BlueGreenPlannerPropertyTest {
  static final String OLD = "aaa";
  static final String NEW = "bbb";
  static final String ACTIVE = "web-active";
  static final String PREVIEW = "web-preview";

  /** @param analyses bit 0: a prePromotionAnalysis, bit 1: a postPromotionAnalysis */
  record Scenario(int replicas, int previewReplicas, boolean autoPromotionEnabled, int autoPromotionSeconds,
      int analyses, int scaleDownDelaySeconds, long seed, boolean crashing) {
    boolean pre() {
      return (analyses & 1) != 0;
    }

    boolean post() {
      return (analyses & 2) != 0;
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
    return Combinators.combine(
            Arbitraries.integers().between(1, 10),
            Arbitraries.integers().between(0, 10),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(-1, 20),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 60),
            Arbitraries.longs(),
            crashing)
        .as(Scenario::new)
        // validation refuses autoPromotionSeconds with autoPromotionEnabled: false
        .filter(s -> s.autoPromotionEnabled() || s.autoPromotionSeconds() < 0);
  }

  @Property(tries = 200)
  void theActiveServiceOnlyEverPointsAtAFullyAvailableReplicaSetAndNeverAtAnAbortedOne(@ForAll("scenarios") Scenario s) {
    Simulation sim = new Simulation(s, true);
    sim.deployAndUpdate();
    for (int tick = 0; tick < 300; tick++) {
      sim.randomUserAction();
      sim.step();
      sim.advanceRandomly();
    }
  }

  @Property(tries = 150)
  void withoutFailuresEveryUpdateEndsHealthyWithTheActiveServiceOnTheNewTemplate(@ForAll("healthyScenarios") Scenario s) {
    Simulation sim = new Simulation(s, false);
    sim.deployAndUpdate();
    for (int tick = 0; tick < 2000 && !sim.done(); tick++) {
      if (sim.c.status.pauseConditions() != null && sim.random.nextInt(10) == 0) {
        sim.c.promote();
      }
      sim.step();
      sim.advanceRandomly();
    }
    assertThat(sim.c.status.phase()).isEqualTo("Healthy");
    assertThat(sim.c.status.stableRS()).isEqualTo(NEW);
    assertThat(sim.selector(ACTIVE)).isEqualTo(NEW);
    assertThat(sim.c.spec(OLD)).isZero();
  }

  static final class Simulation {
    final Scenario s;
    final FakeCluster c = new FakeCluster();
    final Random random;
    final boolean mayFail;
    boolean checking;

    Simulation(Scenario s, boolean mayFail) {
      this.s = s;
      this.mayFail = mayFail;
      this.random = new Random(s.seed());
      c.spec.canary = false;
      c.spec.replicas(s.replicas());
      c.services.put(ACTIVE, Map.of("app", "web"));
      c.services.put(PREVIEW, Map.of("app", "web"));
      c.templates.put("smoke", RolloutAnalysisPlannerTest.template("smoke", new AnalysisArgument("service", null, null)));
      RolloutAnalysis smoke = SpecBuilder.analysisOf(List.of("smoke"), "service=web");
      c.spec.blueGreen = new BlueGreenStrategy(ACTIVE, PREVIEW, s.autoPromotionEnabled(),
          s.autoPromotionSeconds() < 0 ? null : s.autoPromotionSeconds(), s.previewReplicas(), s.pre() ? smoke : null,
          s.post() ? smoke : null, s.scaleDownDelaySeconds(), null, 30, null, null, null);
      c.readyAfter = (hash, n) -> Duration.ofMillis(random.nextInt(20_000));
    }

    String selector(String service) {
      return c.services.get(service).get(SluiceLabels.POD_TEMPLATE_HASH);
    }

    void deployAndUpdate() {
      for (int i = 0; i < 200 && !"Healthy".equals(phase()); i++) {
        step();
        c.advance(Duration.ofSeconds(5));
      }
      assertThat(phase()).as("initial deploy").isEqualTo("Healthy");
      if (s.crashing()) {
        c.crashing.add(NEW);
      }
      c.newTemplate(NEW);
      checking = true;
    }

    String phase() {
      return c.status == null ? null : c.status.phase();
    }

    boolean done() {
      return "Healthy".equals(phase()) && NEW.equals(c.status.stableRS()) && c.spec(OLD) == 0;
    }

    void step() {
      c.advanceRunsRandomly(random, mayFail, "smoke");
      Observed observed = c.observe();
      Plan plan = c.planner.plan(observed, c.now);
      if (checking) {
        assertThat(c.planner.plan(FakeCluster.withStatus(observed, plan.status()), c.now).status())
            .as("re-planning the produced status changes nothing").isEqualTo(plan.status());
        checkSwitches(observed, plan);
      }
      c.apply(plan);
      if (checking) {
        checkActive(observed, plan.status());
      }
    }

    /** At the moment a pin moves the active Service, its new ReplicaSet has all replicas available. */
    private void checkSwitches(Observed observed, Plan plan) {
      plan.actions().stream()
          .filter(a -> a instanceof Action.PinServiceSelector pin && pin.service().equals(ACTIVE))
          .map(a -> ((Action.PinServiceSelector) a).hash())
          .forEach(hash -> assertThat(observed.replicaSet(hash).map(Observed.ObservedReplicaSet::availableReplicas).orElse(0))
              .as("available pods of " + hash + " when the active Service switches to it")
              .isGreaterThanOrEqualTo(s.replicas()));
    }

    private void checkActive(Observed observed, RolloutStatus status) {
      String active = selector(ACTIVE);
      assertThat(c.available(active)).as("available pods behind the active Service (" + active + ")")
          .isGreaterThanOrEqualTo(s.replicas());
      assertThat(status.blueGreen().activeSelector()).as("status names the active hash").isEqualTo(active);
      if (Boolean.TRUE.equals(status.abort())) {
        assertThat(active).as("aborted: the active Service is on the stable").isEqualTo(status.stableRS());
        assertThat(active).as("aborted: never on the aborted hash").isNotEqualTo(observed.desiredHash());
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
      } else if (dice < 65) {
        c.abort();
      } else if (dice < 85 && Boolean.TRUE.equals(c.status.abort())) {
        c.retry();
      } else if (dice < 95) {
        c.spec.paused = !Boolean.TRUE.equals(c.spec.paused);
      } else if (dice < 100) {
        String hash = List.of(OLD, NEW, "ccc").get(random.nextInt(3));
        c.newTemplate(hash);
      }
    }

    void advanceRandomly() {
      c.advance(Duration.ofMillis(random.nextInt(4) == 0 ? random.nextInt(60_000) : random.nextInt(2_000)));
    }
  }
}

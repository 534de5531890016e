package dev.sluice.analysis.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.MetricResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Invariants of the run state machine over random metrics and random measurement outcomes. */
class AnalysisRunPlannerPropertyTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final AnalysisPhase[] OUTCOMES = {AnalysisPhase.Successful, AnalysisPhase.Failed, AnalysisPhase.Inconclusive, AnalysisPhase.Error};

  @Provide
  Arbitrary<List<MetricSettings>> metrics() {
    return metric().list().ofMinSize(1).ofMaxSize(3);
  }

  private static Arbitrary<MetricSettings> metric() {
    Arbitrary<Integer> count = Arbitraries.integers().between(1, 6);
    Arbitrary<Integer> seconds = Arbitraries.integers().between(1, 30);
    Arbitrary<Integer> failureLimit = Arbitraries.integers().between(-1, 2);
    Arbitrary<Integer> smallLimit = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> retention = Arbitraries.integers().between(1, 4);
    Arbitrary<Boolean> dryRun = Arbitraries.of(true, false, false);
    Arbitrary<Integer> delay = Arbitraries.integers().between(0, 20);
    return Combinators.combine(count, seconds, failureLimit, smallLimit, smallLimit, retention, dryRun, delay)
        .as((c, s, fl, il, el, r, dry, d) -> new MetricSettings("m", c == 1 ? null : Duration.ofSeconds(s),
            Duration.ofSeconds(d), c, fl, il, el, null, dry, r, false));
  }

  private static List<MetricSettings> named(List<MetricSettings> metrics) {
    List<MetricSettings> out = new ArrayList<>();
    for (int i = 0; i < metrics.size(); i++) {
      MetricSettings m = metrics.get(i);
      out.add(new MetricSettings("metric-" + i, m.interval(), m.initialDelay(), m.count(), m.failureLimit(),
          m.inconclusiveLimit(), m.consecutiveErrorLimit(), m.consecutiveSuccessLimit(), m.dryRun(), m.retention(), m.judge()));
    }
    return out;
  }

  private static RunSimulation simulate(List<MetricSettings> metrics, List<Integer> outcomes) {
    return new RunSimulation(metrics, T0).runToCompletion(
        (metric, n) -> OUTCOMES[Math.floorMod(outcomes.get(Math.floorMod(metric.hashCode() + n, outcomes.size())), OUTCOMES.length)], 500);
  }

  @Property(tries = 300)
  void aRunNeverEndsSuccessfulWhenARealMetricExceededItsFailureLimit(
      @ForAll("metrics") List<MetricSettings> raw, @ForAll @Size(min = 1, max = 12) List<Integer> outcomes) {
    List<MetricSettings> metrics = named(raw);
    RunSimulation sim = simulate(metrics, outcomes);

    boolean exceeded = metrics.stream().filter(m -> !m.dryRun() && m.failureLimit() >= 0)
        .anyMatch(m -> sim.result(m.name()).failed() > m.failureLimit());
    if (exceeded) {
      assertThat(sim.status.phase()).isNotEqualTo("Successful");
    }
  }

  @Property(tries = 300)
  void everyRunWithAFiniteCountCompletesWithoutEverExceedingItOrTheRetention(
      @ForAll("metrics") List<MetricSettings> raw, @ForAll @Size(min = 1, max = 12) List<Integer> outcomes) {
    List<MetricSettings> metrics = named(raw);
    RunSimulation sim = simulate(metrics, outcomes);

    assertThat(AnalysisPhase.parse(sim.status.phase()).completed()).as("completes").isTrue();
    for (MetricSettings m : metrics) {
      MetricResult r = sim.result(m.name());
      assertThat(r.count()).isLessThanOrEqualTo(m.count());
      assertThat(r.measurements().size()).isLessThanOrEqualTo(m.retention());
      assertThat(r.count() + r.error()).as("every measurement taken is counted once")
          .isEqualTo((int) sim.taken.stream().filter(t -> t.metric().equals(m.name())).count());
      assertThat(r.successful() + r.failed() + r.inconclusive()).isEqualTo(r.count());
    }
  }

  @Property(tries = 200)
  void dryRunMetricsNeverDecideTheRun(
      @ForAll("metrics") List<MetricSettings> raw, @ForAll @Size(min = 1, max = 12) List<Integer> outcomes) {
    List<MetricSettings> metrics = named(raw);
    RunSimulation sim = simulate(metrics, outcomes);
    boolean allRealSuccessful = metrics.stream().filter(m -> !m.dryRun())
        .allMatch(m -> sim.result(m.name()).phase().equals("Successful"));
    if (allRealSuccessful) {
      assertThat(sim.status.phase()).isEqualTo("Successful");
    }
  }

  @Property(tries = 200)
  void measurementNumbersAreConsecutiveAndNeverReused(
      @ForAll("metrics") List<MetricSettings> raw, @ForAll @Size(min = 1, max = 12) List<Integer> outcomes) {
    List<MetricSettings> metrics = named(raw);
    RunSimulation sim = simulate(metrics, outcomes);
    for (MetricSettings m : metrics) {
      List<Integer> numbers = sim.taken.stream().filter(t -> t.metric().equals(m.name())).map(DueMeasurement::number).toList();
      for (int i = 0; i < numbers.size(); i++) {
        assertThat(numbers.get(i)).isEqualTo(i + 1);
      }
    }
  }

  @Property(tries = 200)
  void aReconcileRightAfterAnotherTakesNothingAndChangesNothing(
      @ForAll("metrics") List<MetricSettings> raw, @ForAll @Size(min = 1, max = 12) List<Integer> outcomes,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 20) int reconciles) {
    // what a restarted controller (or a spurious event) sees: the status just written, the same instant
    List<MetricSettings> metrics = named(raw);
    RunSimulation sim = new RunSimulation(metrics, T0).runToCompletion(
        (metric, n) -> OUTCOMES[Math.floorMod(outcomes.get(Math.floorMod(n, outcomes.size())), OUTCOMES.length)], reconciles);
    AnalysisRunPlanner planner = new AnalysisRunPlanner();

    assertThat(planner.due(metrics, false, sim.status, sim.now)).isEmpty();
    RunAssessment again = planner.assess(metrics, false, sim.status, Map.of(), sim.now);
    assertThat(again.status()).isEqualTo(sim.status);
    Optional<Instant> next = again.nextLook();
    next.ifPresent(at -> assertThat(at).isAfter(sim.now));
  }
}

package dev.sluice.analysis.run;

import dev.sluice.api.Timestamps;
import static dev.sluice.analysis.AnalysisPhase.Error;
import static dev.sluice.analysis.AnalysisPhase.Failed;
import static dev.sluice.analysis.AnalysisPhase.Inconclusive;
import static dev.sluice.analysis.AnalysisPhase.Successful;
import static dev.sluice.analysis.run.Measurements.error;
import static dev.sluice.analysis.run.Measurements.failed;
import static dev.sluice.analysis.run.Measurements.ok;
import static dev.sluice.analysis.run.Measurements.running;
import static dev.sluice.analysis.run.Settings.metric;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.AnalysisRunStatus;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.Measurement;
import dev.sluice.api.v1alpha1.AnalysisRunStatus.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnalysisRunPlannerTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private final AnalysisRunPlanner planner = new AnalysisRunPlanner();

  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void aNewRunMeasuresAtOnceAndIsRunning() {
    var metrics = List.of(metric("success-rate").build());
    assertThat(planner.due(metrics, false, null, T0)).containsExactly(new DueMeasurement("success-rate", 1, null, true));

    RunAssessment started = planner.assess(metrics, false, null, Map.of("success-rate", running(T0)), T0);
    assertThat(started.status().phase()).isEqualTo("Running");
    assertThat(started.status().startedAt()).isEqualTo("2025-03-01T10:00:00Z");
    assertThat(started.events()).extracting(RunEvent::reason).containsExactly("AnalysisRunRunning");
  }

  @Test
  void oneGoodMeasurementMakesTheRunSuccessful() {
    var metrics = List.of(metric("success-rate").build());
    RunAssessment done = planner.assess(metrics, false, null, Map.of("success-rate", ok(T0)), T0);

    assertThat(done.status().phase()).isEqualTo("Successful");
    assertThat(done.status().message()).isNull();
    assertThat(done.status().metricResults().get(0)).satisfies(r -> {
      assertThat(r.phase()).isEqualTo("Successful");
      assertThat(r.count()).isEqualTo(1);
      assertThat(r.successful()).isEqualTo(1);
    });
    assertThat(done.status().runSummary()).isEqualTo(new RunSummary(1, 1, 0, 0, 0));
    assertThat(done.nextLook()).isEmpty();
    assertThat(planner.due(metrics, false, done.status(), at(3600))).as("a completed run measures nothing").isEmpty();
  }

  @Test
  void aFailedMeasurementFailsTheRunAndTheMessageNamesTheMetricAndWhy() {
    var metrics = List.of(metric("error-rate").build());
    RunAssessment done = planner.assess(metrics, false, null, Map.of("error-rate", failed(T0)), T0);

    assertThat(done.status().phase()).isEqualTo("Failed");
    assertThat(done.status().message()).isEqualTo("metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0): "
        + "successCondition \"result[0] < 0.05\" is false for [0.5]");
    assertThat(done.events()).extracting(RunEvent::reason).containsExactly("MetricFailed", "AnalysisRunFailed");
    assertThat(done.events()).allMatch(e -> e.type() == RunEvent.Type.Warning);
  }

  @Test
  void aMeasurementMeetingNeitherConditionMakesTheRunInconclusive() {
    var metrics = List.of(metric("latency").build());
    RunAssessment done = planner.assess(metrics, false, null, Map.of("latency", Measurements.inconclusive(T0)), T0);
    assertThat(done.status().phase()).isEqualTo("Inconclusive");
    assertThat(done.status().message()).startsWith("metric \"latency\" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)");
  }

  @Test
  void severalJudgeMetricsGiveTheRunAKayentaScoreWhileTheWorstMetricStillDecides() {
    var metrics = List.of(metric("errors").judge().build(), metric("latency").judge().build(),
        metric("saturation").judge().build(), metric("threshold").build());
    RunAssessment allPass = planner.assess(metrics, false, null,
        Map.of("errors", ok(T0), "latency", ok(T0), "saturation", ok(T0), "threshold", ok(T0)), T0);
    assertThat(allPass.status().phase()).isEqualTo("Successful");
    assertThat(allPass.status().message()).isEqualTo("judge score 100/100: 3 of 3 judge metrics passed");

    RunAssessment oneFails = planner.assess(metrics, false, null,
        Map.of("errors", failed(T0), "latency", ok(T0), "saturation", ok(T0), "threshold", ok(T0)), T0);
    assertThat(oneFails.status().phase()).as("a failed judge metric fails the run, as any metric").isEqualTo("Failed");
    assertThat(oneFails.status().message()).startsWith("metric \"errors\" assessed Failed due to ")
        .endsWith("; judge score 67/100: 2 of 3 judge metrics passed");

    RunAssessment inconclusive = planner.assess(metrics, false, null,
        Map.of("errors", Measurements.inconclusive(T0), "latency", ok(T0), "saturation", failed(T0), "threshold", ok(T0)), T0);
    assertThat(inconclusive.status().message())
        .endsWith("judge score 50/100: 1 of 2 judge metrics passed; 1 without a verdict (Inconclusive or Error) not counted");
  }

  @Test
  void aSingleJudgeMetricOrADryRunOneGivesNoScore() {
    var one = List.of(metric("errors").judge().build(), metric("threshold").build());
    assertThat(planner.assess(one, false, null, Map.of("errors", ok(T0), "threshold", ok(T0)), T0).status().message())
        .isNull();
    var dry = List.of(metric("errors").judge().build(), metric("latency").judge().dryRun().build());
    assertThat(planner.assess(dry, false, null, Map.of("errors", ok(T0), "latency", failed(T0)), T0).status().message())
        .doesNotContain("judge score");
  }

  @Test
  void initialDelayPostponesTheFirstMeasurementFromTheRunsStart() {
    var metrics = List.of(metric("m").initialDelay(Duration.ofSeconds(30)).build());
    RunAssessment first = planner.assess(metrics, false, null, Map.of(), T0);
    assertThat(first.status().phase()).isEqualTo("Running");
    assertThat(first.status().metricResults().get(0).phase()).isEqualTo("Pending");
    assertThat(first.nextLook()).contains(at(30));

    assertThat(planner.due(metrics, false, first.status(), at(29))).isEmpty();
    assertThat(planner.due(metrics, false, first.status(), at(30))).containsExactly(new DueMeasurement("m", 1, null, true));
  }

  @Test
  void measurementsRepeatAtTheIntervalUntilTheCountIsReached() {
    var sim = new RunSimulation(List.of(metric("m").every(Duration.ofSeconds(10), 3).build()), T0)
        .runToCompletion((metric, n) -> Successful, 20);

    assertThat(sim.taken).extracting(DueMeasurement::number).containsExactly(1, 2, 3);
    assertThat(sim.taken).extracting(DueMeasurement::last).as("the third reaches the count").containsExactly(false, false, true);
    assertThat(sim.wakeUps).containsExactly(at(10), at(20));
    assertThat(sim.status.phase()).isEqualTo("Successful");
    assertThat(sim.result("m").count()).isEqualTo(3);
  }

  @Test
  void failuresWithinTheFailureLimitAreTolerated() {
    var sim = new RunSimulation(List.of(metric("m").every(Duration.ofSeconds(5), 4).failureLimit(1).build()), T0)
        .runToCompletion((metric, n) -> n == 2 ? Failed : Successful, 20);
    assertThat(sim.status.phase()).isEqualTo("Successful");
    assertThat(sim.result("m").failed()).isEqualTo(1);

    var second = new RunSimulation(List.of(metric("m").every(Duration.ofSeconds(5), 4).failureLimit(1).build()), T0)
        .runToCompletion((metric, n) -> n >= 2 ? Failed : Successful, 20);
    assertThat(second.status.phase()).isEqualTo("Failed");
    assertThat(second.taken).as("stops at the second failure").hasSize(3);
  }

  @Test
  void unlimitedFailuresNeverFailTheMetric() {
    var sim = new RunSimulation(List.of(metric("m").every(Duration.ofSeconds(1), 3).failureLimit(-1).build()), T0)
        .runToCompletion((metric, n) -> Failed, 20);
    assertThat(sim.status.phase()).isEqualTo("Successful");
    assertThat(sim.result("m").failed()).isEqualTo(3);
  }

  @Test
  void errorsAreRetriedAndEndInErrorAfterTheConsecutiveErrorLimit() {
    var sim = new RunSimulation(List.of(metric("m").every(Duration.ofSeconds(2), 5).consecutiveErrorLimit(2).build()), T0)
        .runToCompletion((metric, n) -> n == 1 ? Successful : Error, 20);

    assertThat(sim.status.phase()).isEqualTo("Error");
    assertThat(sim.result("m").error()).isEqualTo(3);
    assertThat(sim.result("m").count()).as("errors do not count as measurements").isEqualTo(1);
    assertThat(sim.wakeUps).as("retried at the metric's interval").containsExactly(at(2), at(4), at(6));
    // the simulation's measurements say "m<number>": the message quotes the last error's
    assertThat(sim.status.message()).isEqualTo("metric \"m\" assessed Error due to consecutiveError (3) > consecutiveErrorLimit (2): m4");
  }

  @Test
  void anErrorWithoutAnIntervalIsRetriedAfterTenSecondsAndASuccessResetsTheStreak() {
    var metrics = List.of(metric("m").consecutiveErrorLimit(1).build());
    RunAssessment first = planner.assess(metrics, false, null, Map.of("m", error(T0)), T0);
    assertThat(first.status().phase()).isEqualTo("Running");
    assertThat(first.status().metricResults().get(0).message()).contains("unreachable");
    assertThat(first.nextLook()).contains(at(10));
    assertThat(planner.due(metrics, false, first.status(), at(9))).isEmpty();
    assertThat(planner.due(metrics, false, first.status(), at(10))).containsExactly(new DueMeasurement("m", 2, null, true));

    RunAssessment second = planner.assess(metrics, false, first.status(), Map.of("m", ok(at(10))), at(10));
    assertThat(second.status().phase()).isEqualTo("Successful");
    assertThat(second.status().metricResults().get(0).consecutiveError()).isZero();
  }

  @Test
  void aJobStillRunningIsResumedNotRestarted() {
    var metrics = List.of(metric("smoke").build());
    RunAssessment started = planner.assess(metrics, false, null, Map.of("smoke", running(T0)), T0);
    assertThat(started.nextLook()).as("a Job's progress arrives as events, not by polling").isEmpty();

    List<DueMeasurement> due = planner.due(metrics, false, started.status(), at(5));
    assertThat(due).hasSize(1);
    assertThat(due.get(0).resumes()).isTrue();
    assertThat(due.get(0).number()).isEqualTo(1);

    Measurement finished = new Measurement("Successful", null, Timestamps.format(T0), Timestamps.format(at(7)), "Job completed", null);
    RunAssessment done = planner.assess(metrics, false, started.status(), Map.of("smoke", finished), at(7));
    assertThat(done.status().metricResults().get(0).measurements()).containsExactly(finished);
    assertThat(done.status().phase()).isEqualTo("Successful");
  }

  @Test
  void aMeasurementWithAResumeTimeIsNotCheckedBeforeIt() {
    var metrics = List.of(metric("m").build());
    var inFlight = new Measurement("Running", null, Timestamps.format(T0), null, null, Timestamps.format(at(20)));
    RunAssessment started = planner.assess(metrics, false, null, Map.of("m", inFlight), T0);
    assertThat(started.nextLook()).contains(at(20));
    assertThat(planner.due(metrics, false, started.status(), at(19))).isEmpty();
    assertThat(planner.due(metrics, false, started.status(), at(20))).hasSize(1);
  }

  @Test
  void terminatingEndsTheRunWithWhatItHasAndStopsInFlightMeasurements() {
    var metrics = List.of(metric("rate").every(Duration.ofSeconds(10), null).build(), metric("smoke").build());
    RunAssessment running = planner.assess(metrics, false, null, Map.of("rate", ok(T0), "smoke", running(T0)), T0);
    assertThat(running.status().phase()).isEqualTo("Running");

    assertThat(planner.due(metrics, true, running.status(), at(10))).as("nothing new once terminating").isEmpty();
    RunAssessment ended = planner.assess(metrics, true, running.status(), Map.of(), at(10));

    assertThat(ended.status().phase()).isEqualTo("Successful");
    assertThat(ended.terminated()).containsExactly(new DueMeasurement("smoke", 1, running(T0), false));
    assertThat(ended.status().metricResults().get(1).measurements().get(0)).satisfies(m -> {
      assertThat(m.phase()).isEqualTo("Successful");
      assertThat(m.message()).isEqualTo("metric terminated");
      assertThat(m.finishedAt()).isEqualTo(Timestamps.format(at(10)));
    });
    assertThat(ended.nextLook()).isEmpty();
  }

  @Test
  void terminatedBeforeTheFirstMeasurementIsSuccessful() {
    var metrics = List.of(metric("m").initialDelay(Duration.ofMinutes(5)).build());
    RunAssessment ended = planner.assess(metrics, true, null, Map.of(), T0);
    assertThat(ended.status().phase()).isEqualTo("Successful");
    assertThat(ended.status().metricResults().get(0).message()).isEqualTo("run terminated before the first measurement");
  }

  @Test
  void oneFailingMetricStopsTheOthersAtOnce() {
    var metrics = List.of(metric("rate").build(), metric("smoke").build(), metric("later").initialDelay(Duration.ofMinutes(1)).build());
    RunAssessment done = planner.assess(metrics, false, null, Map.of("rate", failed(T0), "smoke", running(T0)), T0);

    assertThat(done.status().phase()).isEqualTo("Failed");
    assertThat(done.status().message()).startsWith("metric \"rate\" assessed Failed");
    assertThat(done.terminated()).extracting(DueMeasurement::metric).containsExactly("smoke");
    assertThat(done.status().metricResults()).extracting(AnalysisRunStatus.MetricResult::phase)
        .containsExactly("Failed", "Successful", "Successful");
  }

  @Test
  void theWorstMetricDecidesTheRun() {
    var metrics = List.of(metric("a").build(), metric("b").build(), metric("c").build());
    RunAssessment done = planner.assess(metrics, false, null,
        Map.of("a", Measurements.inconclusive(T0), "b", error(T0), "c", failed(T0)), T0);
    // b has one error (limit 4) so it keeps running until the run stops; c failed, a inconclusive
    assertThat(done.status().phase()).isEqualTo("Failed");
    assertThat(done.status().message()).startsWith("metric \"c\"");
    assertThat(done.status().runSummary()).isEqualTo(new RunSummary(3, 1, 1, 1, 0));
  }

  @Test
  void aDryRunMetricNeverFailsTheRun() {
    var metrics = List.of(metric("real").build(), metric("trial").dryRun().build());
    RunAssessment done = planner.assess(metrics, false, null, Map.of("real", ok(T0), "trial", failed(T0)), T0);

    assertThat(done.status().phase()).isEqualTo("Successful");
    assertThat(done.status().message()).startsWith("dry-run metric \"trial\" assessed Failed due to failed (1) > failureLimit (0)");
    assertThat(done.status().metricResults().get(1).dryRun()).isTrue();
    assertThat(done.status().runSummary()).isEqualTo(new RunSummary(1, 1, 0, 0, 0));
    assertThat(done.status().dryRunSummary()).isEqualTo(new RunSummary(1, 0, 1, 0, 0));
    assertThat(done.events()).filteredOn(e -> e.reason().equals("MetricFailed")).allMatch(e -> e.type() == RunEvent.Type.Normal);
  }

  @Test
  void aFailingDryRunMetricDoesNotStopTheOthers() {
    var metrics = List.of(metric("real").every(Duration.ofSeconds(1), 3).build(), metric("trial").dryRun().build());
    var sim = new RunSimulation(metrics, T0).runToCompletion((m, n) -> m.equals("trial") ? Failed : Successful, 20);
    assertThat(sim.result("real").count()).isEqualTo(3);
    assertThat(sim.status.phase()).isEqualTo("Successful");
  }

  @Test
  void retentionKeepsTheNewestMeasurementsButTheCountersKeepCounting() {
    var sim = new RunSimulation(List.of(metric("m").every(Duration.ofSeconds(1), 7).retention(3).build()), T0)
        .runToCompletion((metric, n) -> Successful, 20);
    var result = sim.result("m");
    assertThat(result.count()).isEqualTo(7);
    assertThat(result.measurements()).extracting(Measurement::message).containsExactly("m5", "m6", "m7");
  }

  @Test
  void consecutiveSuccessesEndAMetricEarly() {
    var metrics = List.of(metric("m").every(Duration.ofSeconds(1), 10).failureLimit(3).consecutiveSuccessLimit(2).build());
    var sim = new RunSimulation(metrics, T0).runToCompletion((m, n) -> n == 1 ? Failed : Successful, 20);
    assertThat(sim.status.phase()).isEqualTo("Successful");
    assertThat(sim.taken).hasSize(3);

    var never = new RunSimulation(List.of(metric("m").every(Duration.ofSeconds(1), 4).failureLimit(3).consecutiveSuccessLimit(2).build()), T0)
        .runToCompletion((m, n) -> n % 2 == 0 ? Failed : Successful, 20);
    assertThat(never.status.phase()).as("count reached without the streak: a judgement call").isEqualTo("Inconclusive");
  }

  @Test
  void anInvalidSpecEndsTheRunInErrorWithTheReason() {
    RunAssessment invalid = planner.invalid(null, "metric \"m\": successCondition \"result >\" does not compile: at 1:9: ...", T0);
    assertThat(invalid.status().phase()).isEqualTo("Error");
    assertThat(invalid.status().message()).isEqualTo(
        "analysis spec invalid: metric \"m\": successCondition \"result >\" does not compile: at 1:9: ...");
    assertThat(invalid.events()).extracting(RunEvent::type).containsExactly(RunEvent.Type.Warning);
    assertThat(planner.invalid(invalid.status(), "again", at(1)).events()).as("reported once").isEmpty();
  }

  @Test
  void aRestartedControllerSeesNothingDueThatWasAlreadyMeasured() {
    var metrics = List.of(metric("m").every(Duration.ofSeconds(30), null).build());
    RunAssessment first = planner.assess(metrics, false, null, Map.of("m", ok(T0)), T0);
    // the status was written; a new controller reconciles a moment later
    assertThat(planner.due(metrics, false, first.status(), T0.plusMillis(1))).isEmpty();
    assertThat(planner.assess(metrics, false, first.status(), Map.of(), T0.plusMillis(1)).status())
        .as("and writes nothing new").isEqualTo(first.status());
    assertThat(first.nextLook()).isEqualTo(Optional.of(at(30)));
  }

  @Test
  void phasesOrderFromWorstToBest() {
    assertThat(List.of(Failed, Error, Inconclusive, Successful)).isSortedAccordingTo(
        (a, b) -> Integer.compare(b.severity(), a.severity()));
    assertThat(AnalysisPhase.parse(null)).isEqualTo(AnalysisPhase.Pending);
    assertThat(AnalysisPhase.parse("Bogus")).as("a hand-edited phase is assessed again, not a crash").isEqualTo(AnalysisPhase.Pending);
  }

  @Test
  void aMeasurementBeingTakenElsewhereSetsNoTimeToLookAgainButTheOtherMetricsDo() {
    var metrics = List.of(metric("slow-web").build(), metric("errors").every(Duration.ofSeconds(30), 3).build());
    RunAssessment first = planner.assess(metrics, false, null, Map.of("errors", ok(T0)), java.util.Set.of("slow-web"), T0);

    assertThat(first.status().phase()).isEqualTo("Running");
    assertThat(first.nextLook()).as("slow-web wakes the run when it is done; errors is due again in 30 s").contains(at(30));
    assertThat(planner.assess(metrics, false, null, Map.of("errors", ok(T0)), T0).nextLook())
        .as("without knowing slow-web is being taken, it is due at once").contains(T0);
  }
}

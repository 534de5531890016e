package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.analysis;
import static dev.sluice.controller.plan.SpecBuilder.analysisOf;
import static dev.sluice.controller.plan.SpecBuilder.pause;
import static dev.sluice.controller.plan.SpecBuilder.pauseUntilPromoted;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.AnalysisRunSpec;
import dev.sluice.api.v1alpha1.AnalysisTemplateSpec;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.Metric;
import dev.sluice.api.v1alpha1.MetricProvider;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.api.v1alpha1.RolloutStatus.PauseCondition;
import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import dev.sluice.controller.plan.Action.CreateAnalysisRun;
import dev.sluice.controller.plan.Action.DeleteAnalysisRun;
import dev.sluice.controller.plan.Action.TerminateAnalysisRun;
import dev.sluice.controller.plan.FakeCluster.FakeRun;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun.MetricOutcome;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Analysis in rollouts, on a {@link FakeCluster} whose AnalysisRuns end the way each test says:
 * step runs gate the steps, the background run watches the whole update, and status names the
 * metric that decided.
 */
class RolloutAnalysisPlannerTest {
  static final String STABLE = "aaa";
  static final String CANARY = "bbb";
  static final String STEP_RUN = "web-bbb-2-1";
  static final String BACKGROUND_RUN = "web-bbb-2";
  static final String FAILED = "metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0): "
      + "failureCondition \"result[0] >= 0.1\" is true for [0.2]";
  final FakeCluster c = new FakeCluster();

  @BeforeEach
  void errorRateTemplate() {
    c.templates.put("error-rate", template("error-rate",
        new AnalysisArgument("service", null, null),
        new AnalysisArgument("canary-hash", null, new AnalysisArgument.ValueFrom(null, null, "Latest")),
        new AnalysisArgument("token", null, new AnalysisArgument.ValueFrom(new AnalysisArgument.SecretKeyRef("prom-token", "token"), null, null))));
  }

  static AnalysisTemplateSpec template(String metric, AnalysisArgument... args) {
    return new AnalysisTemplateSpec(List.of(metric(metric)), args.length == 0 ? null : List.of(args), null, null);
  }

  static Metric metric(String name) {
    return new Metric(name, "1s", null, null, "result[0] < 0.05", "result[0] >= 0.1", null, null, null, null,
        new MetricProvider(new MetricProvider.Prometheus("http://prometheus:9090",
            "errors{service=\"{{args.service}}\",hash=\"{{args.canary-hash}}\"}", null, null, null, null), null, null));
  }

  /** setWeight 20, analysis, setWeight 50, pause {}. */
  void stepAnalysis() {
    c.spec.steps(setWeight(20), analysis(List.of("error-rate"), "service=web"), setWeight(50), pauseUntilPromoted());
  }

  /** Deployed, then the template changed to CANARY and the planner let run until it waits. */
  Plan updatedAndSettled() {
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
    c.newTemplate(CANARY);
    return c.settle();
  }

  static List<String> reasons(Plan p) {
    return p.events().stream().map(RolloutEvent::reason).toList();
  }

  List<String> allEvents() {
    return c.history.stream().flatMap(p -> reasons(p).stream()).toList();
  }

  List<String> allMessages() {
    return c.history.stream().flatMap(p -> p.events().stream().map(e -> e.reason() + ": " + e.message())).toList();
  }

  AnalysisRunReference stepRunStatus() {
    return c.status.canary().currentStepAnalysisRunStatus();
  }

  AnalysisRunReference backgroundRunStatus() {
    return c.status.canary().currentBackgroundAnalysisRunStatus();
  }

  static Optional<RolloutCondition> condition(RolloutStatus s, String type) {
    return s.conditions().stream().filter(x -> x.type().equals(type)).findFirst();
  }

  /** Runs that are not terminated, by name. */
  List<String> liveRuns() {
    return c.runs.values().stream().filter(r -> !r.terminate).map(r -> r.name).toList();
  }

  @Nested
  class StepRun {
    @Test
    void startsARunOwnedByTheRolloutAndWaitsForIt() {
      stepAnalysis();
      Plan waiting = updatedAndSettled();

      FakeRun run = c.run(STEP_RUN);
      assertThat(run.labels).containsExactlyInAnyOrderEntriesOf(Map.of(
          "sluice.dev/rollout", "web", "sluice.dev/pod-template-hash", CANARY,
          "sluice.dev/analysis-type", "step", "sluice.dev/step-index", "1"));
      assertThat(run.spec.metrics()).containsExactly(metric("error-rate"));
      assertThat(run.spec.terminate()).isNull();
      assertThat(run.spec.args()).as("the rollout's value, the latest hash resolved, the Secret left a reference").containsExactly(
          new AnalysisArgument("service", "web", null),
          new AnalysisArgument("canary-hash", CANARY, null),
          new AnalysisArgument("token", null, new AnalysisArgument.ValueFrom(new AnalysisArgument.SecretKeyRef("prom-token", "token"), null, null)));

      RolloutStatus s = waiting.status();
      assertThat(s.currentStepIndex()).isEqualTo(1);
      assertThat(c.canaryWeight()).isEqualTo(20);
      assertThat(c.spec(CANARY)).isEqualTo(2);
      assertThat(s.phase()).isEqualTo("Progressing");
      assertThat(s.message()).isEqualTo("waiting for AnalysisRun \"web-bbb-2-1\" at step 2/4 (analysis: error-rate)");
      assertThat(stepRunStatus()).isEqualTo(new AnalysisRunReference(STEP_RUN, "Pending", null));
      assertThat(waiting.requeueAfter()).as("the run's informer wakes the rollout: no polling").isEmpty();
      assertThat(allMessages()).contains("AnalysisRunCreated: Started AnalysisRun \"web-bbb-2-1\" for step 2/4 (analysis: error-rate)");
      assertThat(c.runActions).as("created once, however often the rollout is planned").singleElement()
          .isInstanceOf(CreateAnalysisRun.class);
    }

    @Test
    void statusFollowsTheRunWhileItMeasures() {
      stepAnalysis();
      updatedAndSettled();
      c.run(STEP_RUN).phase = "Running";

      Plan p = c.reconcile();

      assertThat(stepRunStatus()).isEqualTo(new AnalysisRunReference(STEP_RUN, "Running", null));
      assertThat(p.actions()).isEmpty();
      assertThat(p.events()).isEmpty();
    }

    @Test
    void promotingWhileTheRunMeasuresSkipsTheStepAndTerminatesTheRun() {
      stepAnalysis();
      updatedAndSettled();
      c.run(STEP_RUN).phase = "Running";
      c.reconcile();

      c.editStatus(FakeCluster.StatusEdit::skipStep); // kubectl sluice promote: not paused, so the step is skipped
      Plan skipped = c.reconcile();

      assertThat(skipped.actions()).contains(new TerminateAnalysisRun(STEP_RUN));
      c.settle();
      assertThat(c.run(STEP_RUN).terminate).isTrue();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(c.status.phase()).isEqualTo("Paused");
      assertThat(c.canaryWeight()).isEqualTo(50);
      c.finishRun(STEP_RUN, "Successful", "metric terminated"); // what the analysis controller makes of a terminated run
      c.settle();
      assertThat(stepRunStatus()).as("status shows how the skipped run ended")
          .isEqualTo(new AnalysisRunReference(STEP_RUN, "Successful", "metric terminated"));
      assertThat(c.status.phase()).as("the skipped run is no reason to abort").isNotEqualTo("Degraded");
    }

    @Test
    void aSuccessfulRunGoesOnToTheNextStep() {
      stepAnalysis();
      updatedAndSettled();

      c.finishRun(STEP_RUN, "Successful", null);
      c.settle();

      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(c.status.phase()).isEqualTo("Paused");
      assertThat(c.canaryWeight()).isEqualTo(50);
      assertThat(stepRunStatus()).isEqualTo(new AnalysisRunReference(STEP_RUN, "Successful", null));
      assertThat(allMessages()).contains("AnalysisRunSuccessful: AnalysisRun \"web-bbb-2-1\" Successful at step 2/4 (analysis: error-rate)");
      assertThat(liveRuns()).as("a passed step's run is kept as it is").containsExactly(STEP_RUN);

      c.promote();
      c.settle();
      assertThat(c.status.phase()).isEqualTo("Healthy");
      assertThat(c.runs.values()).as("completion retires every run").allMatch(r -> r.terminate);
      assertThat(c.status.canary().currentStepAnalysisRunStatus()).isNull();
    }

    @Test
    void aFailedRunAbortsNamingTheMetricAndWhy() {
      stepAnalysis();
      updatedAndSettled();

      c.finishRun(STEP_RUN, "Failed", FAILED);
      Plan aborted = c.reconcile();

      RolloutStatus s = aborted.status();
      assertThat(s.abort()).isTrue();
      assertThat(s.phase()).isEqualTo("Degraded");
      assertThat(s.message()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2: AnalysisRun \"web-bbb-2-1\" Failed: " + FAILED);
      assertThat(condition(s, "Progressing")).hasValueSatisfying(cond -> {
        assertThat(cond.reason()).isEqualTo("RolloutAborted");
        assertThat(cond.message()).isEqualTo("Rollout aborted update to revision 2: AnalysisRun \"web-bbb-2-1\" Failed: " + FAILED);
      });
      assertThat(s.canary().weights().canary().weight()).as("traffic back to stable at once").isZero();
      assertThat(c.spec(CANARY)).as("the canary keeps its pods until abortScaleDownDelaySeconds").isEqualTo(2);
      assertThat(aborted.events()).extracting(RolloutEvent::type, RolloutEvent::reason).containsExactly(
          tuple(RolloutEvent.Type.Warning, "AnalysisRunFailed"),
          tuple(RolloutEvent.Type.Warning, "RolloutAborted"));
      assertThat(aborted.events().get(1).message()).isEqualTo("Rollout aborted update to revision 2: AnalysisRun \"web-bbb-2-1\" Failed: " + FAILED);
      assertThat(aborted.actions()).contains(new TerminateAnalysisRun(STEP_RUN));
      assertThat(stepRunStatus()).isEqualTo(new AnalysisRunReference(STEP_RUN, "Failed", FAILED));

      c.advance(Duration.ofSeconds(30));
      c.settle();
      assertThat(c.spec(CANARY)).isZero();
      assertThat(c.status.message()).as("the cause stays in status").endsWith(FAILED);
    }

    @Test
    void anErrorAbortsToo() {
      stepAnalysis();
      updatedAndSettled();

      c.finishRun(STEP_RUN, "Error", "analysis spec invalid: metric \"error-rate\": successCondition \"result[0] <\" does not compile: at 1:12");
      c.settle();

      assertThat(c.status.abort()).isTrue();
      assertThat(c.status.message()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2: AnalysisRun \"web-bbb-2-1\" Error: "
          + "analysis spec invalid: metric \"error-rate\": successCondition \"result[0] <\" does not compile: at 1:12");
    }

    @Test
    void aRunWithoutAMessageIsExplainedByItsWorstMetric() {
      stepAnalysis();
      updatedAndSettled();
      FakeRun run = c.run(STEP_RUN);
      run.phase = "Failed";
      run.metrics = List.of(new MetricOutcome("latency", "Successful", null),
          new MetricOutcome("error-rate", "Failed", "failed (1) > failureLimit (0)"));

      c.settle();

      assertThat(c.status.message()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2: AnalysisRun \"web-bbb-2-1\" Failed: "
          + "metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0)");
    }

    @Test
    void anInconclusiveRunPausesUntilPromotedThenGoesOn() {
      stepAnalysis();
      updatedAndSettled();

      c.finishRun(STEP_RUN, "Inconclusive", "metric \"error-rate\" assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0)");
      Plan paused = c.reconcile();

      RolloutStatus s = paused.status();
      assertThat(s.phase()).isEqualTo("Paused");
      assertThat(s.pauseConditions()).extracting(PauseCondition::reason).containsExactly("InconclusiveAnalysisRun");
      assertThat(s.controllerPause()).isTrue();
      assertThat(s.message()).isEqualTo("InconclusiveAnalysisRun: AnalysisRun \"web-bbb-2-1\" Inconclusive: metric \"error-rate\" "
          + "assessed Inconclusive due to inconclusive (1) > inconclusiveLimit (0); promote to go on");
      assertThat(condition(s, "Paused")).hasValueSatisfying(cond -> assertThat(cond.reason()).isEqualTo("InconclusiveAnalysisRun"));
      assertThat(reasons(paused)).containsExactly("AnalysisRunInconclusive", "RolloutPaused");
      assertThat(c.settle().events()).as("paused once").isEmpty();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);

      c.promote();
      c.settle();

      assertThat(c.status.currentStepIndex()).as("on to setWeight 50 and the pause after it").isEqualTo(3);
      assertThat(c.canaryWeight()).isEqualTo(50);
      assertThat(c.status.pauseConditions()).extracting(PauseCondition::reason).containsExactly("CanaryPauseStep");
      assertThat(allEvents()).containsSubsequence("RolloutPromoted", "StepStarted", "RolloutPaused");
    }

    @Test
    void aRetryStartsANewRunAndLeavesTheFailedOneAlone() {
      stepAnalysis();
      updatedAndSettled();
      c.finishRun(STEP_RUN, "Failed", FAILED);
      c.settle();

      c.retry();
      Plan retried = c.settle();

      assertThat(c.status.abort()).isNull();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(stepRunStatus()).isEqualTo(new AnalysisRunReference(STEP_RUN + ".1", "Pending", null));
      assertThat(c.run(STEP_RUN).terminate).isTrue();
      assertThat(c.run(STEP_RUN).phase).isEqualTo("Failed");
      assertThat(liveRuns()).containsExactly(STEP_RUN + ".1");
      assertThat(retried.status().phase()).isEqualTo("Progressing");

      c.finishRun(STEP_RUN + ".1", "Successful", null);
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
    }

    @Test
    void editedStepsRunTheAnalysisAgain() {
      c.spec.steps(setWeight(20), analysis(List.of("error-rate"), "service=web"), pauseUntilPromoted());
      updatedAndSettled();
      c.finishRun(STEP_RUN, "Successful", null);
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(2);

      // the first step is reached at once again: the analysis step comes up in the same plan
      c.spec.steps(setWeight(20), analysis(List.of("error-rate"), "service=web"), pause("1h"));
      Plan restarted = c.settle();

      assertThat(restarted.status().currentStepIndex()).as("the earlier Successful run does not count for the new steps").isEqualTo(1);
      assertThat(c.run(STEP_RUN).terminate).isTrue();
      assertThat(liveRuns()).containsExactly(STEP_RUN + ".1");
    }

    @Test
    void aRunNotYetInTheCacheIsCreatedAgainButAnnouncedOnce() {
      stepAnalysis();
      updatedAndSettled();
      FakeRun created = c.runs.remove(STEP_RUN);

      Plan again = c.reconcile();

      assertThat(again.actions()).singleElement().isInstanceOf(CreateAnalysisRun.class)
          .satisfies(a -> assertThat(((CreateAnalysisRun) a).name()).isEqualTo(created.name));
      assertThat(again.events()).isEmpty();
      assertThat(again.status()).isEqualTo(c.history.get(c.history.size() - 2).status());
    }

    @Test
    void theProgressDeadlineDoesNotRunWhileTheAnalysisMeasures() {
      stepAnalysis();
      c.spec.progressDeadlineSeconds = 5;
      c.spec.progressDeadlineAbort = true;
      updatedAndSettled();
      c.run(STEP_RUN).phase = "Running";

      c.advance(Duration.ofMinutes(10));
      Plan later = c.settle();

      assertThat(later.status().abort()).isNull();
      assertThat(condition(later.status(), "Progressing")).hasValueSatisfying(cond -> {
        assertThat(cond.status()).isEqualTo("True");
        assertThat(cond.reason()).isEqualTo("WaitingForAnalysis");
      });

      c.finishRun(STEP_RUN, "Successful", null);
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(c.status.abort()).isNull();
    }

    @Test
    void aUserPauseKeepsTheRunMeasuring() {
      stepAnalysis();
      updatedAndSettled();
      c.run(STEP_RUN).phase = "Running";
      c.spec.paused = true;

      c.settle();

      assertThat(c.run(STEP_RUN).terminate).isFalse();
      c.spec.paused = null;
      c.finishRun(STEP_RUN, "Successful", null);
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
    }

    @Test
    void dryRunMetricsAndRetentionAndRunMetadataReachTheRun() {
      RolloutAnalysis withExtras = new RolloutAnalysis(List.of(new RolloutAnalysis.TemplateRef("error-rate", null)),
          List.of(new AnalysisArgument("service", "web", null)), List.of(new RolloutAnalysis.DryRun("error-rate")),
          List.of(new RolloutAnalysis.MeasurementRetention("error-rate", 3)),
          new RolloutAnalysis.AnalysisRunMetadata(Map.of("team", "payments"), Map.of("note", "canary check")), null);
      c.spec.steps(setWeight(20), new CanaryStep(null, null, null, withExtras, null, null), setWeight(50), pauseUntilPromoted());
      updatedAndSettled();

      FakeRun run = c.run(STEP_RUN);
      assertThat(run.spec.dryRun()).containsExactly(new RolloutAnalysis.DryRun("error-rate"));
      assertThat(run.spec.measurementRetention()).containsExactly(new RolloutAnalysis.MeasurementRetention("error-rate", 3));
      assertThat(run.labels).containsEntry("team", "payments").containsEntry("sluice.dev/analysis-type", "step");
      assertThat(run.annotations).containsEntry("note", "canary check");

      // a dry-run metric that failed leaves the run Successful, with a note: the rollout goes on
      c.finishRun(STEP_RUN, "Successful", "dry-run metric \"error-rate\" assessed Failed due to failed (1) > failureLimit (0)");
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(c.status.abort()).isNull();
    }

    @Test
    void fieldRefArgumentsAreReadFromTheRollout() {
      c.templates.put("by-name", template("error-rate", new AnalysisArgument("name", null, null)));
      c.spec.steps(setWeight(20), new CanaryStep(null, null, null, new RolloutAnalysis(
          List.of(new RolloutAnalysis.TemplateRef("by-name", null)),
          List.of(new AnalysisArgument("name", null, new AnalysisArgument.ValueFrom(null, new AnalysisArgument.FieldRef("metadata.name"), null))),
          null, null, null, null), null, null), pauseUntilPromoted());
      updatedAndSettled();

      assertThat(c.run(STEP_RUN).spec.args()).containsExactly(new AnalysisArgument("name", "web", null));
    }

    @Test
    void clusterTemplatesAreFoundByClusterScope() {
      c.clusterTemplates.put("shared", template("latency"));
      c.spec.steps(setWeight(20), new CanaryStep(null, null, null, new RolloutAnalysis(
          List.of(new RolloutAnalysis.TemplateRef("error-rate", null), new RolloutAnalysis.TemplateRef("shared", true)),
          List.of(new AnalysisArgument("service", "web", null)), null, null, null, null), null, null));
      updatedAndSettled();

      assertThat(c.run(STEP_RUN).spec.metrics()).extracting(Metric::name).containsExactly("error-rate", "latency");
    }
  }

  @Nested
  class Background {
    @BeforeEach
    void backgroundFromStep1() {
      c.spec.steps(setWeight(20), pause("10s"), setWeight(50), pauseUntilPromoted());
      c.spec.analysis = new RolloutAnalysis(List.of(new RolloutAnalysis.TemplateRef("error-rate", null)),
          List.of(new AnalysisArgument("service", "web", null)), null, null, null, 1);
    }

    @Test
    void startsAtStartingStepAndRunsUntilPromotion() {
      c.settle();
      c.newTemplate(CANARY);
      c.reconcile();
      assertThat(c.status.currentStepIndex()).isZero();
      assertThat(c.runs).as("not before startingStep").isEmpty();

      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      FakeRun run = c.run(BACKGROUND_RUN);
      assertThat(run.labels).containsEntry("sluice.dev/analysis-type", "background").doesNotContainKey("sluice.dev/step-index");
      assertThat(backgroundRunStatus()).isEqualTo(new AnalysisRunReference(BACKGROUND_RUN, "Pending", null));
      run.phase = "Running";

      c.advance(Duration.ofSeconds(10));
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(liveRuns()).as("one run for the whole update").containsExactly(BACKGROUND_RUN);
      assertThat(backgroundRunStatus()).isEqualTo(new AnalysisRunReference(BACKGROUND_RUN, "Running", null));

      c.promote();
      c.settle();
      assertThat(c.status.phase()).isEqualTo("Healthy");
      assertThat(c.run(BACKGROUND_RUN).terminate).as("terminated at promotion").isTrue();
      assertThat(backgroundRunStatus()).isNull();
    }

    @Test
    void aFailureAtAnyStepAborts() {
      updatedAndSettled();
      c.run(BACKGROUND_RUN).phase = "Running";
      c.advance(Duration.ofSeconds(10));
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);

      c.finishRun(BACKGROUND_RUN, "Failed", FAILED);
      Plan aborted = c.reconcile();

      assertThat(aborted.status().abort()).isTrue();
      assertThat(aborted.status().message()).isEqualTo(
          "RolloutAborted: Rollout aborted update to revision 2: AnalysisRun \"web-bbb-2\" Failed: " + FAILED);
      assertThat(aborted.status().canary().weights().canary().weight()).isZero();
      assertThat(reasons(aborted)).containsExactly("AnalysisRunFailed", "RolloutAborted");
      assertThat(aborted.actions()).contains(new TerminateAnalysisRun(BACKGROUND_RUN));
    }

    @Test
    void inconclusivePausesAndAPromoteStartsAFreshRun() {
      updatedAndSettled();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);

      c.finishRun(BACKGROUND_RUN, "Inconclusive", "metric \"error-rate\" assessed Inconclusive");
      c.advance(Duration.ofSeconds(10));
      Plan paused = c.settle();

      assertThat(paused.status().phase()).isEqualTo("Paused");
      assertThat(paused.status().currentStepIndex()).as("held where it was").isEqualTo(1);
      assertThat(paused.status().pauseConditions()).extracting(PauseCondition::reason)
          .containsExactlyInAnyOrder("CanaryPauseStep", "InconclusiveAnalysisRun");
      assertThat(paused.status().message()).startsWith("InconclusiveAnalysisRun: AnalysisRun \"web-bbb-2\" Inconclusive");

      c.promote();
      c.settle();

      assertThat(c.status.currentStepIndex()).as("the promote also ends the pause step").isEqualTo(3);
      assertThat(c.run(BACKGROUND_RUN).terminate).isTrue();
      assertThat(liveRuns()).containsExactly(BACKGROUND_RUN + ".1");
      assertThat(backgroundRunStatus().name()).isEqualTo(BACKGROUND_RUN + ".1");
      assertThat(c.status.pauseConditions()).extracting(PauseCondition::reason).containsExactly("CanaryPauseStep");
    }

    @Test
    void inconclusiveAwayFromAPauseStepPausesThereOnly() {
      c.spec.steps(setWeight(20), setWeight(40), pauseUntilPromoted());
      c.spec.analysis = analysisOf(List.of("error-rate"), "service=web");
      c.settle();
      c.newTemplate(CANARY);
      c.readyAfter = (hash, n) -> Duration.ofSeconds(5);
      c.settle();
      assertThat(c.status.currentStepIndex()).isZero();

      c.finishRun(BACKGROUND_RUN, "Inconclusive", null);
      c.advance(Duration.ofSeconds(5));
      c.settle();
      assertThat(c.status.phase()).isEqualTo("Paused");
      assertThat(c.status.currentStepIndex()).isZero();

      c.promote();
      c.settle();
      c.advance(Duration.ofSeconds(5));
      c.settle();

      assertThat(c.status.currentStepIndex()).as("the next pause step still pauses").isEqualTo(2);
      assertThat(c.status.pauseConditions()).extracting(PauseCondition::reason).containsExactly("CanaryPauseStep");
    }

    @Test
    void aPauseForTheBackgroundRunNamesOnlyIt() {
      c.spec.steps(setWeight(20), analysis(List.of("error-rate"), "service=web"), setWeight(50), pauseUntilPromoted());
      c.spec.analysis = analysisOf(List.of("error-rate"), "service=web");
      updatedAndSettled();
      c.finishRun(STEP_RUN, "Inconclusive", "metric \"error-rate\" assessed Inconclusive");
      c.settle();
      c.promote();
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);

      c.finishRun(BACKGROUND_RUN, "Inconclusive", "metric \"error-rate\" assessed Inconclusive");
      c.settle();

      assertThat(c.status.message()).isEqualTo("InconclusiveAnalysisRun: AnalysisRun \"web-bbb-2\" Inconclusive: "
          + "metric \"error-rate\" assessed Inconclusive; promote to go on");
    }

    @Test
    void promoteFullSkipsTheAnalysisAndTerminatesIt() {
      c.spec.steps(setWeight(20), analysis(List.of("error-rate"), "service=web"), setWeight(50), pauseUntilPromoted());
      c.spec.analysis = analysisOf(List.of("error-rate"), "service=web");
      updatedAndSettled();
      assertThat(liveRuns()).containsExactlyInAnyOrder(BACKGROUND_RUN, STEP_RUN);
      c.run(STEP_RUN).phase = "Running";
      c.run(BACKGROUND_RUN).phase = "Running";

      c.promoteFull();
      Plan promoted = c.reconcile();

      assertThat(promoted.actions()).contains(new TerminateAnalysisRun(BACKGROUND_RUN), new TerminateAnalysisRun(STEP_RUN));
      c.settle();
      assertThat(c.status.phase()).isEqualTo("Healthy");
      assertThat(c.runs).hasSize(2);
    }

    @Test
    void aNewTemplateMidUpdateTerminatesTheOldCanarysRuns() {
      updatedAndSettled();
      c.run(BACKGROUND_RUN).phase = "Running";

      c.newTemplate("ccc");
      c.settle();

      assertThat(c.run(BACKGROUND_RUN).terminate).isTrue();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(liveRuns()).containsExactly("web-ccc-3");
      assertThat(c.run("web-ccc-3").labels).containsEntry("sluice.dev/pod-template-hash", "ccc");
    }

    @Test
    void aManualAbortTerminatesTheRunAndNamesNoAnalysis() {
      updatedAndSettled();
      c.run(BACKGROUND_RUN).phase = "Running";

      c.abort();
      c.settle();

      assertThat(c.run(BACKGROUND_RUN).terminate).isTrue();
      assertThat(c.status.message()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2: aborted by the user (status.abort)");
      assertThat(backgroundRunStatus()).as("the terminated run, as it ended").isEqualTo(
          new AnalysisRunReference(BACKGROUND_RUN, "Successful", null));
    }
  }

  @Nested
  class WithATrafficRouter {
    @BeforeEach
    void gatewayApi() {
      c.spec.gatewayApi();
      c.services.put("web-canary", Map.of("app", "web"));
      c.services.put("web-stable", Map.of("app", "web"));
    }

    @Test
    void aFailedStepRunTakesTheTrafficBackBeforeAnyCanaryPodGoes() {
      stepAnalysis();
      updatedAndSettled();
      assertThat(c.router.weight).isEqualTo(20);
      int canaryPods = c.spec(CANARY);

      c.finishRun(STEP_RUN, "Failed", FAILED);
      Plan aborted = c.reconcile();

      assertThat(aborted.actions()).contains(new Action.SetTrafficWeight(0, CANARY, STABLE), new TerminateAnalysisRun(STEP_RUN));
      assertThat(aborted.actions()).noneMatch(a -> a instanceof Action.ScaleReplicaSet sc && sc.name().equals("web-" + CANARY));
      assertThat(aborted.status().message()).endsWith(FAILED);
      c.settle();
      assertThat(c.router.weight).isZero();
      assertThat(c.spec(CANARY)).as("kept until abortScaleDownDelaySeconds").isEqualTo(canaryPods);
      c.advance(Duration.ofSeconds(30));
      c.settle();
      assertThat(c.spec(CANARY)).isZero();
    }
  }

  @Nested
  class Templates {
    @Test
    void aMissingTemplateIsInvalidSpecNamingItAndTheRolloutWaits() {
      stepAnalysis();
      c.settle();
      RolloutStatus healthy = c.status;
      c.templates.clear();
      c.newTemplate(CANARY);

      Plan blocked = c.reconcile();

      String problem = "spec.strategy.canary.steps[1].analysis.templates[0]: AnalysisTemplate \"error-rate\" not found in namespace \"default\"";
      assertThat(blocked.actions()).isEmpty();
      assertThat(blocked.status().phase()).isEqualTo("Degraded");
      assertThat(blocked.status().message()).isEqualTo(problem);
      assertThat(condition(blocked.status(), "InvalidSpec")).hasValueSatisfying(cond -> assertThat(cond.message()).isEqualTo(problem));
      assertThat(blocked.status().stableRS()).isEqualTo(healthy.stableRS());
      assertThat(reasons(blocked)).containsExactly("InvalidSpec");
      assertThat(c.reconcile().events()).as("reported once").isEmpty();

      errorRateTemplate();
      c.settle();
      assertThat(condition(c.status, "InvalidSpec")).isEmpty();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.runs).containsKey(STEP_RUN);
    }

    @Test
    void aMissingClusterTemplateIsNamedAsSuch() {
      c.spec.analysis = new RolloutAnalysis(List.of(new RolloutAnalysis.TemplateRef("shared", true)), null, null, null, null, null);
      Plan blocked = c.reconcile();
      assertThat(blocked.status().message())
          .isEqualTo("spec.strategy.canary.analysis.templates[0]: ClusterAnalysisTemplate \"shared\" not found");
    }

    @Test
    void anArgumentNoOneGivesAValueIsInvalidSpec() {
      c.spec.steps(setWeight(20), analysis(List.of("error-rate")));
      Plan blocked = c.reconcile();
      assertThat(blocked.status().message()).isEqualTo(
          "spec.strategy.canary.steps[1].analysis.args: argument \"service\" of AnalysisTemplate \"error-rate\" has no value: give it one here");
    }

    @Test
    void twoTemplatesDefiningTheSameMetricAreInvalidSpec() {
      c.templates.put("again", template("error-rate"));
      c.spec.steps(setWeight(20), analysis(List.of("error-rate", "again"), "service=web"));
      Plan blocked = c.reconcile();
      assertThat(blocked.status().message()).isEqualTo("spec.strategy.canary.steps[1].analysis.templates[1]: "
          + "metric \"error-rate\" of AnalysisTemplate \"again\" is also defined by AnalysisTemplate \"error-rate\"");
    }
  }

  @Nested
  class History {
    @Test
    void keepsFiveSuccessfulAndFiveUnsuccessfulRunsDeletingTheOldest() {
      c.spec.steps(setWeight(20), analysis(List.of("error-rate"), "service=web"), pauseUntilPromoted());
      c.settle();
      Instant start = c.now;
      for (int i = 0; i < 14; i++) {
        String name = "web-old" + (char) ('a' + i);
        FakeRun run = new FakeRun(name, Map.of("sluice.dev/rollout", "web", "sluice.dev/pod-template-hash", "old",
            "sluice.dev/analysis-type", "background"), Map.of(), new AnalysisRunSpec(List.of(), null, null, null, null),
            start.plusSeconds(i));
        run.phase = List.of("Successful", "Failed", "Error", "Inconclusive").get(i % 4);
        run.terminate = true;
        c.runs.put(name, run);
      }
      FakeRun running = new FakeRun("web-still-running", Map.of("sluice.dev/rollout", "web",
          "sluice.dev/pod-template-hash", "old", "sluice.dev/analysis-type", "background"), Map.of(),
          new AnalysisRunSpec(List.of(), null, null, null, null), start.minusSeconds(60));
      running.phase = "Running";
      running.terminate = true;
      c.runs.put(running.name, running);

      Plan pruned = c.reconcile();

      // newest first: successful are a(0) e(4) i(8) m(12) -> all 4 kept; unsuccessful are the other 10 -> oldest 5 go
      assertThat(pruned.actions()).filteredOn(a -> a instanceof DeleteAnalysisRun).containsExactly(
          new DeleteAnalysisRun("web-oldb"), new DeleteAnalysisRun("web-oldc"), new DeleteAnalysisRun("web-oldd"),
          new DeleteAnalysisRun("web-oldf"), new DeleteAnalysisRun("web-oldg"));
      assertThat(c.runs).containsKey("web-still-running");
      assertThat(c.reconcile().actions()).as("nothing more to prune").isEmpty();

      // a new update adds successful runs: beyond 5, the oldest successful go
      for (int i = 0; i < 3; i++) {
        c.newTemplate("h" + i);
        c.settle();
        c.finishRun(c.status.canary().currentStepAnalysisRunStatus().name(), "Successful", null);
        c.promote();
        c.settle();
        c.promote();
        c.settle();
        assertThat(c.status.phase()).isEqualTo("Healthy");
        c.advance(Duration.ofMinutes(1));
      }
      long successful = c.runs.values().stream().filter(r -> "Successful".equals(r.phase)).count();
      long unsuccessful = c.runs.values().stream().filter(r -> r.completed() && !"Successful".equals(r.phase)).count();
      assertThat(successful).isEqualTo(5);
      assertThat(unsuccessful).isEqualTo(5);
      assertThat(c.runs).doesNotContainKey("web-olda").containsKey("web-still-running");
    }
  }

  @Nested
  class Idempotence {
    @Test
    void planningTheProducedStatusAgainChangesNothingAtEveryStage() {
      stepAnalysis();
      c.spec.analysis = analysisOf(List.of("error-rate"), "service=web");
      c.settle();
      c.newTemplate(CANARY);
      List<Runnable> stages = List.of(
          () -> { },
          () -> c.run(STEP_RUN).phase = "Running",
          () -> c.finishRun(STEP_RUN, "Inconclusive", "metric \"error-rate\" assessed Inconclusive"),
          c::promote,
          () -> c.finishRun(BACKGROUND_RUN, "Failed", FAILED),
          c::retry);
      for (Runnable stage : stages) {
        stage.run();
        for (int i = 0; i < 10; i++) {
          Observed observed = c.observe();
          Plan plan = c.planner.plan(observed, c.now);
          c.apply(plan);
          Observed replay = observed.withRollout(c.rollout());
          Plan again = c.planner.plan(replay, c.now);
          assertThat(again.status()).isEqualTo(plan.status());
          assertThat(again.events()).isEmpty();
        }
      }
      assertThat(c.status.abort()).isNull();
      assertThat(liveRuns()).containsExactlyInAnyOrder(BACKGROUND_RUN + ".1", STEP_RUN + ".1");
    }
  }
}

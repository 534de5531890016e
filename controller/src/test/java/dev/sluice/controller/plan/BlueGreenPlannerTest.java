package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import static dev.sluice.controller.plan.SpecBuilder.analysisOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.AnalysisArgument;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus.PauseCondition;
import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The blue-green strategy, step by step, against {@link FakeCluster}. */
class BlueGreenPlannerTest {
  static final String STABLE = "aaa";
  static final String NEW = "bbb";
  static final String ACTIVE = "web-active";
  static final String PREVIEW = "web-preview";

  final FakeCluster c = new FakeCluster();

  @BeforeEach
  void blueGreenOfThree() {
    c.spec.canary = false;
    c.spec.replicas(3);
    c.services.put(ACTIVE, Map.of("app", "web"));
    c.services.put(PREVIEW, Map.of("app", "web"));
    c.templates.put("smoke", RolloutAnalysisPlannerTest.template("smoke", new AnalysisArgument("service", null, null)));
    strategy(null, null, null, null, null);
  }

  /** A blue-green strategy with the Services above and these fields (null: the default). */
  void strategy(Boolean autoPromotionEnabled, Integer autoPromotionSeconds, Integer previewReplicaCount,
      RolloutAnalysis pre, RolloutAnalysis post) {
    c.spec.blueGreen = new BlueGreenStrategy(ACTIVE, PREVIEW, autoPromotionEnabled, autoPromotionSeconds, previewReplicaCount,
        pre, post, 30, null, 30, null, null, null);
  }

  static RolloutAnalysis smoke() {
    return analysisOf(List.of("smoke"), "service=web");
  }

  String selector(String service) {
    return c.services.get(service).get(SluiceLabels.POD_TEMPLATE_HASH);
  }

  void deployedThenUpdated() {
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
    c.newTemplate(NEW);
    c.settle();
  }

  List<String> allEvents() {
    return c.history.stream().flatMap(p -> p.events().stream().map(RolloutEvent::reason)).toList();
  }

  @Test
  void theFirstDeployPinsBothServicesToTheOnlyReplicaSet() {
    c.settle();

    assertThat(c.status.phase()).isEqualTo("Healthy");
    assertThat(selector(ACTIVE)).isEqualTo(STABLE);
    assertThat(selector(PREVIEW)).isEqualTo(STABLE);
    assertThat(c.status.blueGreen().activeSelector()).isEqualTo(STABLE);
    assertThat(c.status.blueGreen().previewSelector()).isEqualTo(STABLE);
    assertThat(c.status.canary()).isNull();
    assertThat(c.status.currentStepIndex()).isNull();
    assertThat(c.status.currentStepHash()).isNull();
  }

  @Test
  void withDefaultsThePreviewComesUpFullyThenTheActiveSwitchesAndTheOldScalesDownAfterTheDelay() {
    deployedThenUpdated();

    assertThat(selector(ACTIVE)).isEqualTo(NEW);
    assertThat(c.status.stableRS()).isEqualTo(NEW);
    assertThat(c.spec(STABLE)).as("the old ReplicaSet waits scaleDownDelaySeconds").isEqualTo(3);
    assertThat(c.status.phase()).isEqualTo("Progressing");
    assertThat(c.status.message()).isEqualTo("old replicas are pending termination");
    assertThat(allEvents()).containsSubsequence("RolloutUpdated", "ActiveServiceSwitched", "RolloutCompleted");

    c.advance(Duration.ofSeconds(30));
    c.settle();
    assertThat(c.spec(STABLE)).isZero();
    assertThat(c.status.phase()).isEqualTo("Healthy");
  }

  @Test
  void thePreviewServiceSelectsTheNewPodsBeforeTheActiveServiceDoes() {
    deployedThenUpdated();

    List<String> pins = c.history.stream().flatMap(p -> p.actions().stream())
        .filter(a -> a instanceof Action.PinServiceSelector pin && pin.hash().equals(NEW))
        .map(a -> ((Action.PinServiceSelector) a).service())
        .toList();
    assertThat(pins).containsExactly(PREVIEW, ACTIVE);
    int previewPlan = indexOfPlanPinning(PREVIEW);
    assertThat(indexOfPlanPinning(ACTIVE)).as("in a later plan, once the preview Service is seen on it").isGreaterThan(previewPlan);
  }

  int indexOfPlanPinning(String service) {
    for (int i = 0; i < c.history.size(); i++) {
      if (c.history.get(i).actions().stream().anyMatch(a -> a instanceof Action.PinServiceSelector pin
          && pin.service().equals(service) && pin.hash().equals(NEW))) {
        return i;
      }
    }
    return -1;
  }

  @Nested
  class PausedBeforePromotion {
    @BeforeEach
    void noAutoPromotionOnePreviewPodAndAPrePromotionAnalysis() {
      strategy(false, null, 1, smoke(), null);
      deployedThenUpdated();
    }

    @Test
    void thePreviewRunsOnePodBehindThePreviewServiceWhileTheActiveStaysOnTheStable() {
      assertThat(c.spec(NEW)).isEqualTo(1);
      assertThat(c.spec(STABLE)).isEqualTo(3);
      assertThat(selector(PREVIEW)).isEqualTo(NEW);
      assertThat(selector(ACTIVE)).isEqualTo(STABLE);
      assertThat(c.status.blueGreen().previewSelector()).isEqualTo(NEW);
      assertThat(c.status.blueGreen().activeSelector()).isEqualTo(STABLE);
    }

    @Test
    void thePrePromotionRunStartsOnceThePreviewIsAvailableAndItsSuccessPauses() {
      String run = "web-" + NEW + "-2-pre";
      assertThat(c.run(run).labels).containsEntry(RolloutAnalysisLabels.ANALYSIS_TYPE, "pre-promotion");
      assertThat(c.status.blueGreen().prePromotionAnalysisRunStatus().name()).isEqualTo(run);
      assertThat(c.status.phase()).isEqualTo("Progressing");

      c.finishRun(run, "Successful", null);
      c.settle();

      assertThat(c.status.phase()).isEqualTo("Paused");
      assertThat(c.status.pauseConditions()).extracting(PauseCondition::reason).containsExactly("BlueGreenPause");
      assertThat(c.status.message()).startsWith("BlueGreenPause: the preview of revision 2 is ready");
      assertThat(selector(ACTIVE)).isEqualTo(STABLE);
      assertThat(c.status.blueGreen().prePromotionAnalysisRunStatus().status()).isEqualTo("Successful");

      c.advance(Duration.ofHours(1));
      c.settle();
      assertThat(c.status.phase()).as("no autoPromotionSeconds: waits for a promote").isEqualTo("Paused");
    }

    @Test
    void onPromoteThePreviewScalesUpAndOnlyWhenAllAreAvailableTheActiveSwitches() {
      c.finishRun("web-" + NEW + "-2-pre", "Successful", null);
      c.settle();
      c.readyAfter = (hash, n) -> Duration.ofSeconds(10);
      c.promote();

      c.settle();
      assertThat(c.spec(NEW)).isEqualTo(3);
      assertThat(c.available(NEW)).isEqualTo(1);
      assertThat(selector(ACTIVE)).as("not all new pods available").isEqualTo(STABLE);
      assertThat(c.status.blueGreen().scaleUpPreviewCheckPoint()).isTrue();
      assertThat(c.status.phase()).isEqualTo("Progressing");

      c.advance(Duration.ofSeconds(10));
      c.settle();
      assertThat(selector(ACTIVE)).isEqualTo(NEW);
      assertThat(c.status.stableRS()).isEqualTo(NEW);
      assertThat(c.spec(STABLE)).isEqualTo(3);
      assertThat(c.status.blueGreen().scaleUpPreviewCheckPoint()).isNull();
      assertThat(c.status.pauseConditions()).isNull();
    }

    @Test
    void promoteFullSkipsTheWaitingAnalysisAndThePause() {
      c.promoteFull();
      c.settle();

      assertThat(selector(ACTIVE)).isEqualTo(NEW);
      assertThat(c.status.stableRS()).isEqualTo(NEW);
      assertThat(c.run("web-" + NEW + "-2-pre").terminate).isTrue();
    }

    @Test
    void aFailedPrePromotionAnalysisAbortsWithoutTouchingTheActiveAndScalesThePreviewDownAfterTheDelay() {
      c.finishRun("web-" + NEW + "-2-pre", "Failed", "metric \"smoke\" assessed Failed due to failed (1) > failureLimit (0)");
      c.settle();

      assertThat(c.status.abort()).isTrue();
      assertThat(c.status.phase()).isEqualTo("Degraded");
      assertThat(c.status.message()).contains("metric \"smoke\" assessed Failed");
      assertThat(selector(ACTIVE)).isEqualTo(STABLE);
      assertThat(selector(PREVIEW)).as("the preview goes back to stable").isEqualTo(STABLE);
      assertThat(c.spec(NEW)).as("kept for abortScaleDownDelaySeconds").isEqualTo(1);

      c.advance(Duration.ofSeconds(30));
      c.settle();
      assertThat(c.spec(NEW)).isZero();
      assertThat(c.history.stream().allMatch(p -> p.actions().stream().noneMatch(
          a -> a instanceof Action.PinServiceSelector pin && pin.service().equals(ACTIVE) && pin.hash().equals(NEW)))).isTrue();
    }

    @Test
    void anInconclusivePrePromotionAnalysisPausesAndAPromoteThenPromotesThePreview() {
      c.finishRun("web-" + NEW + "-2-pre", "Inconclusive", "metric \"smoke\" assessed Inconclusive");
      c.settle();
      assertThat(c.status.pauseConditions()).extracting(PauseCondition::reason).containsExactly("InconclusiveAnalysisRun");
      assertThat(c.status.message()).contains("metric \"smoke\" assessed Inconclusive");

      c.promote();
      c.settle();

      assertThat(selector(ACTIVE)).as("one promote: no second pause").isEqualTo(NEW);
      assertThat(c.status.stableRS()).isEqualTo(NEW);
      assertThat(allEvents().stream().filter("RolloutPromoted"::equals)).hasSize(1);
    }

    @Test
    void retryAfterAnAbortStartsAgainWithAFreshRun() {
      c.finishRun("web-" + NEW + "-2-pre", "Failed", "metric \"smoke\" assessed Failed");
      c.settle();
      c.retry();
      c.settle();

      assertThat(c.status.abort()).isNull();
      assertThat(c.run("web-" + NEW + "-2-pre.1").terminate).isFalse();
      assertThat(c.status.blueGreen().prePromotionAnalysisRunStatus().name()).isEqualTo("web-" + NEW + "-2-pre.1");
      assertThat(selector(PREVIEW)).isEqualTo(NEW);
    }

    @Test
    void aNewTemplateMidUpdateReplacesThePreview() {
      c.newTemplate("ccc");
      c.settle();

      assertThat(selector(PREVIEW)).isEqualTo("ccc");
      assertThat(selector(ACTIVE)).isEqualTo(STABLE);
      assertThat(c.spec(NEW)).isZero();
      assertThat(c.spec("ccc")).isEqualTo(1);
      assertThat(c.run("web-" + NEW + "-2-pre").terminate).isTrue();
    }
  }

  @Test
  void autoPromotionSecondsPromotesByItselfAtTheDeadlineFromThePauseStart() {
    strategy(null, 8, null, null, null);
    deployedThenUpdated();
    assertThat(c.status.phase()).isEqualTo("Paused");
    String start = c.status.pauseConditions().get(0).startTime();
    Plan waiting = c.reconcile();
    assertThat(waiting.requeueAfter()).contains(Duration.ofSeconds(8));
    assertThat(c.status.message()).contains("promotes itself at " + Timestamps.format(Timestamps.parse(start).plusSeconds(8)));

    c.advance(Duration.ofMillis(7999));
    c.settle();
    assertThat(selector(ACTIVE)).isEqualTo(STABLE);

    c.advance(Duration.ofMillis(1));
    c.settle();
    assertThat(selector(ACTIVE)).isEqualTo(NEW);
    assertThat(allEvents()).containsSubsequence("RolloutPaused", "PauseEnded", "ActiveServiceSwitched", "RolloutCompleted");
  }

  @Test
  void aFailedPostPromotionAnalysisSendsTheActiveBackToTheOldReplicaSetWhichIsStillUp() {
    strategy(null, null, null, null, smoke());
    deployedThenUpdated();
    assertThat(selector(ACTIVE)).isEqualTo(NEW);
    assertThat(c.status.stableRS()).as("stable only once the post-promotion analysis passes").isEqualTo(STABLE);
    assertThat(c.spec(STABLE)).isEqualTo(3);

    c.finishRun("web-" + NEW + "-2-post", "Failed", "metric \"smoke\" assessed Failed");
    c.settle();

    assertThat(selector(ACTIVE)).isEqualTo(STABLE);
    assertThat(c.available(STABLE)).isEqualTo(3);
    assertThat(c.status.abort()).isTrue();
    assertThat(c.status.blueGreen().activeSelector()).isEqualTo(STABLE);
    assertThat(c.status.message()).contains("AnalysisRun \"web-" + NEW + "-2-post\" Failed");
  }

  @Test
  void aPassingPostPromotionAnalysisMakesTheNewReplicaSetStable() {
    strategy(null, null, null, null, smoke());
    deployedThenUpdated();
    c.finishRun("web-" + NEW + "-2-post", "Successful", null);
    c.settle();

    assertThat(c.status.stableRS()).isEqualTo(NEW);
    assertThat(selector(ACTIVE)).isEqualTo(NEW);
  }

  @Test
  void aUserPauseFreezesTheUpdateAndResumesWhereItWas() {
    strategy(null, null, 1, null, null);
    c.settle();
    c.readyAfter = (hash, n) -> Duration.ofSeconds(5);
    c.newTemplate(NEW);
    c.spec.paused = true;
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Paused");
    assertThat(c.spec(NEW)).isZero();

    c.spec.paused = null;
    c.settle();
    assertThat(c.spec(NEW)).isEqualTo(1);
    c.advance(Duration.ofSeconds(5));
    c.settle();
    assertThat(c.spec(NEW)).as("the preview is ready: promoted at once").isEqualTo(3);
    assertThat(selector(ACTIVE)).isEqualTo(STABLE);
    c.advance(Duration.ofSeconds(5));
    c.settle();
    assertThat(selector(ACTIVE)).isEqualTo(NEW);
  }

  @Test
  void planningAgainOnItsOwnStatusChangesNothing() {
    strategy(false, null, 1, smoke(), null);
    deployedThenUpdated();
    c.finishRun("web-" + NEW + "-2-pre", "Successful", null);
    c.settle();

    Plan again = c.plan();
    assertThat(again.actions()).isEmpty();
    assertThat(again.events()).isEmpty();
    assertThat(again.status()).isEqualTo(c.status);
  }

  @Test
  void aMissingActiveServiceBlocksTheRollout() {
    c.services.remove(ACTIVE);
    Plan p = c.reconcile();

    assertThat(p.actions()).isEmpty();
    assertThat(p.status().message()).contains("Service \"web-active\" (spec.strategy.blueGreen.activeService) not found");
  }

  @Test
  void aMissingPrePromotionTemplateIsAnInvalidSpec() {
    strategy(null, null, null, analysisOf(List.of("nope")), null);
    Plan p = c.reconcile();

    assertThat(p.status().message()).contains("spec.strategy.blueGreen.prePromotionAnalysis.templates[0]: AnalysisTemplate \"nope\" not found");
  }

  @Test
  void aRollbackWithinTheWindowSwitchesWithoutThePauseOrThePrePromotionAnalysis() {
    strategy(false, null, 1, smoke(), null);
    c.spec.rollbackWindow = 2;
    c.settle();
    c.newTemplate(NEW);
    c.settle();
    c.promote(); // the pre-promotion run is left Running by FakeCluster, so promote --full
    c.promoteFull();
    c.settle();
    c.advance(Duration.ofSeconds(30));
    c.settle();
    assertThat(c.status.stableRS()).isEqualTo(NEW);
    int runsBefore = c.runs.size();
    int historyBefore = c.history.size();

    c.newTemplate(STABLE); // revision 1, one back
    c.settle();

    assertThat(selector(ACTIVE)).isEqualTo(STABLE);
    assertThat(c.status.stableRS()).isEqualTo(STABLE);
    assertThat(c.runs).as("no pre-promotion run for the rollback").hasSize(runsBefore);
    assertThat(c.history.subList(historyBefore, c.history.size()))
        .allSatisfy(p -> assertThat(p.status().pauseConditions()).isNull());
    assertThat(c.history.subList(historyBefore, c.history.size()).stream().flatMap(p -> p.events().stream())
        .map(RolloutEvent::reason)).containsSubsequence("RolloutUpdated", "RollbackWithinWindow", "ActiveServiceSwitched");
  }
}

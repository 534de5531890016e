package dev.sluice.controller.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import dev.sluice.controller.plan.Plan.RolloutEvent.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransitionsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final List<CanaryStep> STEPS = steps("[{setWeight: 20}, {pause: {}}, {setWeight: 60}, {pause: {duration: 10s}}]");

  private static List<CanaryStep> steps(String yaml) {
    try {
      return YAML.readValue(yaml, new TypeReference<>() {});
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static RolloutStatus status(String yaml) {
    try {
      return YAML.readValue(yaml, RolloutStatus.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static RolloutEvent normal(String reason) {
    return new RolloutEvent(Type.Normal, reason, reason + " message");
  }

  private static List<String> triggers(List<Notice> notices) {
    return notices.stream().map(n -> n.trigger().id()).toList();
  }

  @Test
  void eachPlannerEventBecomesItsTrigger() {
    RolloutStatus s = status("{currentPodHash: b, currentStepIndex: 0, currentStepHash: h}");
    List<Notice> notices = Transitions.of(s, s, List.of(normal("RolloutUpdated"), normal("StepStarted"), normal("TrafficWeightChanged"),
        normal("RolloutResumed"), normal("RolloutCompleted"), new RolloutEvent(Type.Warning, "AnalysisRunFailed", "run x Failed"),
        new RolloutEvent(Type.Warning, "AnalysisRunError", "run y Error")), STEPS);

    assertThat(triggers(notices)).containsExactly("on-rollout-updated", "on-rollout-promoted", "on-rollout-completed",
        "on-analysis-run-failed", "on-analysis-run-error");
    assertThat(notices.get(3).message()).isEqualTo("run x Failed");
  }

  @Test
  void aStepIsCompletedWhenTheIndexMovesOnInTheSameUpdateAndComesBeforeTheNextStepStarts() {
    RolloutStatus before = status("{currentPodHash: b, currentStepIndex: 1, currentStepHash: h, pauseConditions: [{reason: CanaryPauseStep}]}");
    RolloutStatus after = status("{currentPodHash: b, currentStepIndex: 3, currentStepHash: h, pauseConditions: [{reason: CanaryPauseStep}]}");

    List<Notice> notices = Transitions.of(before, after,
        List.of(normal("RolloutPromoted"), normal("StepStarted"), normal("StepStarted"), normal("RolloutPaused")), STEPS);

    assertThat(triggers(notices)).containsExactly("on-rollout-promoted", "on-rollout-step-completed", "on-rollout-step-completed",
        "on-rollout-paused");
    assertThat(notices.get(1).step()).contains(new Notice.StepRef(2, 4, Map.of("pause", Map.of())));
    assertThat(notices.get(2).step()).contains(new Notice.StepRef(3, 4, Map.of("setWeight", 60)));
    assertThat(notices.get(1).message()).isEqualTo("Step 2/4 completed");
    assertThat(notices.get(3).step()).as("paused at the 4th step").contains(new Notice.StepRef(4, 4, Map.of("pause", Map.of("duration", "10s"))));
  }

  @Test
  void theLastStepCompletesBeforeTheRolloutDoes() {
    RolloutStatus before = status("{currentPodHash: b, currentStepIndex: 3, currentStepHash: h}");
    RolloutStatus after = status("{currentPodHash: b, stableRS: b, currentStepIndex: 4, currentStepHash: h}");

    assertThat(triggers(Transitions.of(before, after, List.of(normal("PauseEnded"), normal("RolloutCompleted")), STEPS)))
        .containsExactly("on-rollout-step-completed", "on-rollout-completed");
  }

  @Test
  void anUpdateThatStartsAndCompletesItsFirstStepInOnePlanTellsThatStep() {
    RolloutStatus steady = status("{currentPodHash: a, stableRS: a, currentStepIndex: 4, currentStepHash: h}");
    RolloutStatus pausedAt2 = status("""
        {currentPodHash: b, stableRS: a, currentStepIndex: 1, currentStepHash: h,
         pauseConditions: [{reason: CanaryPauseStep}]}""");

    List<Notice> notices = Transitions.of(steady, pausedAt2,
        List.of(normal("RolloutUpdated"), normal("StepStarted"), normal("RolloutPaused")), STEPS);

    assertThat(triggers(notices)).containsExactly("on-rollout-updated", "on-rollout-step-completed", "on-rollout-paused");
    assertThat(notices.get(1).step()).contains(new Notice.StepRef(1, 4, Map.of("setWeight", 20)));
    assertThat(Transitions.of(steady, status("{currentPodHash: b, stableRS: b, currentStepIndex: 4, currentStepHash: h}"),
        List.of(normal("RolloutUpdated"), normal("RollbackWithinWindow"), normal("RolloutCompleted")), STEPS))
        .as("a rollback within the window skips its steps: none is completed").extracting(n -> n.trigger())
        .containsExactly(Trigger.ROLLOUT_UPDATED, Trigger.ROLLOUT_COMPLETED);
  }

  @Test
  void noStepIsCompletedByANewTemplateAPromoteFullAnAbortOrAnUnchangedStatus() {
    RolloutStatus at1 = status("{currentPodHash: b, currentStepIndex: 1, currentStepHash: h}");

    assertThat(Transitions.of(at1, status("{currentPodHash: c, currentStepIndex: 2, currentStepHash: h}"), List.of(), STEPS)).isEmpty();
    assertThat(Transitions.of(at1, status("{currentPodHash: b, currentStepIndex: 4, currentStepHash: h}"),
        List.of(normal("RolloutPromotedFull")), STEPS)).extracting(n -> n.trigger()).containsExactly(Trigger.ROLLOUT_PROMOTED);
    assertThat(Transitions.of(at1, status("{currentPodHash: b, currentStepIndex: 2, currentStepHash: edited}"), List.of(), STEPS)).isEmpty();
    assertThat(Transitions.of(at1, at1, List.of(), STEPS)).as("a reconcile that changes nothing tells nothing").isEmpty();
    assertThat(Transitions.of(null, at1, List.of(normal("RolloutDeployed")), STEPS)).isEmpty();
  }

  @Test
  void anAbortSaysWhetherAMetricTheDeadlineOrTheUserCausedIt() {
    RolloutStatus before = status("{currentPodHash: b, currentStepIndex: 1, currentStepHash: h}");
    RolloutEvent aborted = new RolloutEvent(Type.Warning, "RolloutAborted", "Rollout aborted update to revision 2: ...");

    Notice byMetric = Transitions.of(before, status("""
        {currentPodHash: b, currentStepIndex: 0, abort: true,
         canary: {currentStepAnalysisRunStatus: {name: r, status: Failed}}}"""), List.of(aborted), STEPS).get(0);
    Notice byDeadline = Transitions.of(before, status("""
        {currentPodHash: b, currentStepIndex: 0, abort: true,
         conditions: [{type: Progressing, status: "False", reason: ProgressDeadlineExceeded}]}"""), List.of(aborted), STEPS).get(0);
    Notice byUser = Transitions.of(before, status("{currentPodHash: b, currentStepIndex: 0, abort: true}"), List.of(aborted), STEPS).get(0);

    assertThat(byMetric.trigger()).isEqualTo(Trigger.ROLLOUT_ABORTED);
    assertThat(byMetric.abortedBy()).contains("metric");
    assertThat(byDeadline.abortedBy()).contains("deadline");
    assertThat(byUser.abortedBy()).contains("user");
    assertThat(byUser.message()).isEqualTo("Rollout aborted update to revision 2: ...");
    assertThat(byUser.step()).isEqualTo(Optional.empty());
  }
}

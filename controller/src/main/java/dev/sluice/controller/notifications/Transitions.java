package dev.sluice.controller.notifications;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.controller.notifications.Notice.StepRef;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which notices one reconcile's plan gives: a pure function of the status it was planned from, the
 * status it writes and the events it records. The planner emits an event only when the status it
 * writes moves on, and a status written is never planned again (a controller restart plans from
 * it), so each notice comes once per transition. A completed step has no event of its own: it is
 * the step index moving forward within the same update (same pod template, same steps).
 */
public final class Transitions {
  private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private Transitions() {}

  public static List<Notice> of(RolloutStatus before, RolloutStatus after, List<RolloutEvent> events, List<CanaryStep> steps) {
    List<Notice> stepsCompleted = completedSteps(before, after, events, steps);
    List<Notice> notices = new ArrayList<>();
    for (RolloutEvent e : events) {
      if (!stepsCompleted.isEmpty() && ("StepStarted".equals(e.reason()) || "RolloutCompleted".equals(e.reason()))) {
        // a step is done before the next one starts (or the update completes)
        notices.addAll(stepsCompleted);
        stepsCompleted = List.of();
      }
      trigger(e.reason()).ifPresent(t -> notices.add(new Notice(t, e.reason(), e.message(),
          t == Trigger.ROLLOUT_PAUSED ? currentStep(after, steps) : Optional.empty(),
          t == Trigger.ROLLOUT_ABORTED ? Optional.of(abortedBy(after)) : Optional.empty())));
    }
    notices.addAll(stepsCompleted);
    return List.copyOf(notices);
  }

  private static Optional<Trigger> trigger(String eventReason) {
    return Optional.ofNullable(switch (eventReason) {
      case "RolloutUpdated" -> Trigger.ROLLOUT_UPDATED;
      case "RolloutPaused" -> Trigger.ROLLOUT_PAUSED;
      case "RolloutPromoted", "RolloutPromotedFull", "RolloutResumed" -> Trigger.ROLLOUT_PROMOTED;
      case "RolloutAborted" -> Trigger.ROLLOUT_ABORTED;
      case "RolloutCompleted" -> Trigger.ROLLOUT_COMPLETED;
      case "AnalysisRunFailed" -> Trigger.ANALYSIS_RUN_FAILED;
      case "AnalysisRunError" -> Trigger.ANALYSIS_RUN_ERROR;
      default -> null;
    });
  }

  /**
   * Steps between the index planned from and the index written, in the same update. Not after a
   * promote --full (the steps were skipped, not completed) nor on an abort (the index goes back).
   */
  private static List<Notice> completedSteps(RolloutStatus before, RolloutStatus after, List<RolloutEvent> events,
      List<CanaryStep> steps) {
    // an update that started in this very plan (one reconcile may start it and walk its first steps) counts from its first step
    boolean startedNow = events.stream().anyMatch(e -> "RolloutUpdated".equals(e.reason()));
    if (before == null || after == null || before.currentStepIndex() == null || after.currentStepIndex() == null
        || (!startedNow && (before.currentPodHash() == null || !before.currentPodHash().equals(after.currentPodHash())
            || !Objects.equals(before.currentStepHash(), after.currentStepHash())))
        || Boolean.TRUE.equals(after.abort())
        || events.stream().anyMatch(e -> "RolloutPromotedFull".equals(e.reason()) || "RollbackWithinWindow".equals(e.reason()))) {
      return List.of();
    }
    List<Notice> done = new ArrayList<>();
    for (int i = startedNow ? 0 : before.currentStepIndex(); i < Math.min(after.currentStepIndex(), steps.size()); i++) {
      StepRef step = new StepRef(i + 1, steps.size(), definition(steps.get(i)));
      done.add(new Notice(Trigger.ROLLOUT_STEP_COMPLETED, "StepCompleted",
          "Step " + step.number() + "/" + step.total() + " completed", Optional.of(step), Optional.empty()));
    }
    return done;
  }

  private static Optional<StepRef> currentStep(RolloutStatus after, List<CanaryStep> steps) {
    if (after == null || after.currentStepIndex() == null || after.currentStepIndex() >= steps.size()) {
      return Optional.empty();
    }
    int i = after.currentStepIndex();
    return Optional.of(new StepRef(i + 1, steps.size(), definition(steps.get(i))));
  }

  /** The step as written in the spec: {@code {setWeight: 20}}, {@code {pause: {duration: 10s}}}. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> definition(CanaryStep step) {
    return JSON.convertValue(step, Map.class);
  }

  /** In the order the planner gives the abort's cause: a failed analysis, the progress deadline, else the user. */
  static String abortedBy(RolloutStatus after) {
    var canary = after == null ? null : after.canary();
    var blueGreen = after == null ? null : after.blueGreen();
    boolean analysis = Stream.concat(
            canary == null ? Stream.empty() : Stream.of(canary.currentStepAnalysisRunStatus(), canary.currentBackgroundAnalysisRunStatus()),
            blueGreen == null ? Stream.empty() : Stream.of(blueGreen.prePromotionAnalysisRunStatus(), blueGreen.postPromotionAnalysisRunStatus()))
        .filter(Objects::nonNull).map(AnalysisRunReference::status).anyMatch(s -> "Failed".equals(s) || "Error".equals(s));
    if (analysis) {
      return "metric";
    }
    boolean deadline = after != null && after.conditions() != null && after.conditions().stream()
        .anyMatch(c -> "Progressing".equals(c.type()) && "ProgressDeadlineExceeded".equals(c.reason()));
    return deadline ? "deadline" : "user";
  }
}

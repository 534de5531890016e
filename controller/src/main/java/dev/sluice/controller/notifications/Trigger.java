package dev.sluice.controller.notifications;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The transitions a Rollout's subscribers can be told about, named as in Argo Rollouts. Each fires
 * once per transition, from the events the planner emits when it writes the new status.
 */
public enum Trigger {
  ROLLOUT_UPDATED("on-rollout-updated"),
  ROLLOUT_STEP_COMPLETED("on-rollout-step-completed"),
  ROLLOUT_PAUSED("on-rollout-paused"),
  ROLLOUT_PROMOTED("on-rollout-promoted"),
  ROLLOUT_ABORTED("on-rollout-aborted"),
  ROLLOUT_COMPLETED("on-rollout-completed"),
  ANALYSIS_RUN_FAILED("on-analysis-run-failed"),
  ANALYSIS_RUN_ERROR("on-analysis-run-error");

  private final String id;

  Trigger(String id) {
    this.id = id;
  }

  /** As written in the ConfigMap ({@code trigger.<id>}) and in subscriptions. */
  public String id() {
    return id;
  }

  public static Optional<Trigger> byId(String id) {
    return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
  }

  static String known() {
    return Arrays.stream(values()).map(Trigger::id).collect(Collectors.joining(", "));
  }
}

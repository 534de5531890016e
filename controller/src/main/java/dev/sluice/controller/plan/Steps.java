package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.CanaryStep.SetCanaryScale;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Questions about a validated canary steps list that depend only on the list and a step index.
 * The canary strategy ({@code plan.canary}) asks them; the lifecycle only asks the strategy
 * ({@link UpdateStrategy#stepsHash}, {@link UpdateStrategy#stepCount}). Kept in this package because
 * {@link Context} carries the list (empty for blue-green).
 */
public record Steps(List<CanaryStep> list) {

  public int size() {
    return list.size();
  }

  public CanaryStep get(int index) {
    return list.get(index);
  }

  public boolean isDone(int index) {
    return index >= list.size();
  }

  /**
   * The canary weight the rollout works towards at {@code index}: the setWeight of that step, else
   * the last one before it (0 if none); 100 once past the last step.
   */
  public int targetWeight(int index) {
    if (isDone(index)) {
      return 100;
    }
    Integer own = list.get(index).setWeight();
    return own != null ? own : lastSetWeightBefore(index);
  }

  public int lastSetWeightBefore(int index) {
    for (int i = Math.min(index, list.size()) - 1; i >= 0; i--) {
      if (list.get(i).setWeight() != null) {
        return list.get(i).setWeight();
      }
    }
    return 0;
  }

  /**
   * The setCanaryScale in force at {@code index} (set by an earlier step, undone by a later
   * {@code matchTrafficWeight: true}); none once past the last step, where the canary takes all pods.
   */
  public Optional<SetCanaryScale> canaryScaleAt(int index) {
    if (isDone(index)) {
      return Optional.empty();
    }
    SetCanaryScale inForce = null;
    for (int i = 0; i < index; i++) {
      SetCanaryScale scale = list.get(i).setCanaryScale();
      if (scale != null) {
        inForce = Boolean.TRUE.equals(scale.matchTrafficWeight()) ? null : scale;
      }
    }
    return Optional.ofNullable(inForce);
  }

  /** 1-based for people: {@code step 2/4 (setWeight: 40)}. */
  public String describe(int index) {
    return "step " + (index + 1) + "/" + list.size() + " (" + describe(list.get(index)) + ")";
  }

  public static String describe(CanaryStep step) {
    if (step.setWeight() != null) {
      return "setWeight: " + step.setWeight();
    }
    if (step.pause() != null) {
      return step.pause().duration() == null ? "pause until promoted" : "pause: " + text(step.pause().duration());
    }
    if (step.setHeaderRoute() != null) {
      return "setHeaderRoute: " + step.setHeaderRoute().name() + (removes(step.setHeaderRoute().match()) ? " (remove)" : "");
    }
    if (step.setMirrorRoute() != null) {
      return "setMirrorRoute: " + step.setMirrorRoute().name() + (removes(step.setMirrorRoute().match()) ? " (remove)" : "");
    }
    if (step.analysis() != null) {
      return "analysis: " + step.analysis().templates().stream().map(RolloutAnalysis.TemplateRef::templateName)
          .collect(Collectors.joining(", "));
    }
    SetCanaryScale s = step.setCanaryScale();
    if (s.weight() != null) {
      return "setCanaryScale: weight " + s.weight();
    }
    if (s.replicas() != null) {
      return "setCanaryScale: replicas " + s.replicas();
    }
    return "setCanaryScale: matchTrafficWeight";
  }

  /** currentStepHash: changes whenever the steps are edited, which restarts them. */
  public String hash() {
    return Fnv.safeEncodedHash(list.stream().map(Steps::canonical).collect(Collectors.joining(";")));
  }

  private static String canonical(CanaryStep step) {
    if (step.setWeight() != null) {
      return "setWeight=" + step.setWeight();
    }
    if (step.pause() != null) {
      return "pause=" + (step.pause().duration() == null ? "" : text(step.pause().duration()));
    }
    if (step.setHeaderRoute() != null) {
      return "setHeaderRoute=" + step.setHeaderRoute();
    }
    if (step.setMirrorRoute() != null) {
      return "setMirrorRoute=" + step.setMirrorRoute();
    }
    if (step.analysis() != null) {
      return "analysis=" + step.analysis();
    }
    SetCanaryScale s = step.setCanaryScale();
    return "setCanaryScale=" + s.weight() + "," + s.replicas() + "," + s.matchTrafficWeight();
  }

  private static boolean removes(List<?> match) {
    return match == null || match.isEmpty();
  }

  private static String text(IntOrString value) {
    return value.getIntVal() != null ? value.getIntVal() + "s" : value.getStrVal();
  }
}

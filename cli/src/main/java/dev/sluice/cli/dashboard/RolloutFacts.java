package dev.sluice.cli.dashboard;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;

/** Small readings of a rollout and its objects that several views share; null-safe throughout. */
final class RolloutFacts {
  private RolloutFacts() {}

  static String phase(Rollout rollout) {
    RolloutStatus status = rollout.getStatus();
    return status == null || status.phase() == null ? "Unknown" : status.phase();
  }

  static boolean aborted(Rollout rollout) {
    return rollout.getStatus() != null && Boolean.TRUE.equals(rollout.getStatus().abort());
  }

  /** Waiting for a person: at a pause step, paused by a user, or held by an inconclusive analysis. */
  static boolean paused(Rollout rollout) {
    RolloutStatus status = rollout.getStatus();
    boolean pauseConditions = status != null && status.pauseConditions() != null && !status.pauseConditions().isEmpty();
    boolean userPause = rollout.getSpec() != null && Boolean.TRUE.equals(rollout.getSpec().paused());
    return pauseConditions || userPause;
  }

  static List<CanaryStep> steps(Rollout rollout) {
    var spec = rollout.getSpec();
    if (spec == null || spec.strategy() == null || spec.strategy().canary() == null
        || spec.strategy().canary().steps() == null) {
      return List.of();
    }
    return spec.strategy().canary().steps();
  }

  static Integer canaryWeight(RolloutStatus status) {
    return status == null ? null : status.canaryWeight().orElse(null);
  }

  static RolloutStatus.TrafficWeights weights(RolloutStatus status) {
    return status == null || status.canary() == null ? null : status.canary().weights();
  }

  static String podTemplateHash(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? null : labels.get(SluiceLabels.POD_TEMPLATE_HASH);
  }

  static Integer revision(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    String revision = annotations == null ? null : annotations.get(SluiceLabels.REVISION);
    try {
      return revision == null ? null : Integer.valueOf(revision);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}

package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The AnalysisRuns status names for the current attempt, with what each said, one per slot (null:
 * none): status.canary's currentBackgroundAnalysisRunStatus and currentStepAnalysisRunStatus (the
 * step run waited on, or the last one), status.blueGreen's pre- and post-promotion run statuses.
 */
public record RunReferences(AnalysisRunReference background, AnalysisRunReference step,
    AnalysisRunReference prePromotion, AnalysisRunReference postPromotion) {

  public enum Slot { BACKGROUND, STEP, PRE_PROMOTION, POST_PROMOTION }

  static final RunReferences NONE = new RunReferences(null, null, null, null);

  static RunReferences of(RolloutStatus status) {
    if (status == null) {
      return NONE;
    }
    var canary = status.canary();
    var blueGreen = status.blueGreen();
    return new RunReferences(
        canary == null ? null : canary.currentBackgroundAnalysisRunStatus(),
        canary == null ? null : canary.currentStepAnalysisRunStatus(),
        blueGreen == null ? null : blueGreen.prePromotionAnalysisRunStatus(),
        blueGreen == null ? null : blueGreen.postPromotionAnalysisRunStatus());
  }

  public AnalysisRunReference get(Slot slot) {
    return switch (slot) {
      case BACKGROUND -> background;
      case STEP -> step;
      case PRE_PROMOTION -> prePromotion;
      case POST_PROMOTION -> postPromotion;
    };
  }

  RunReferences with(Slot slot, AnalysisRunReference reference) {
    return new RunReferences(
        slot == Slot.BACKGROUND ? reference : background,
        slot == Slot.STEP ? reference : step,
        slot == Slot.PRE_PROMOTION ? reference : prePromotion,
        slot == Slot.POST_PROMOTION ? reference : postPromotion);
  }

  /** Every reference as {@code refresh} says it is now. */
  RunReferences map(UnaryOperator<AnalysisRunReference> refresh) {
    return new RunReferences(refresh.apply(background), refresh.apply(step), refresh.apply(prePromotion),
        refresh.apply(postPromotion));
  }

  /** Every run named (null for an empty slot): background, step, pre- and post-promotion. */
  List<AnalysisRunReference> all() {
    return Arrays.asList(background, step, prePromotion, postPromotion);
  }
}

package dev.sluice.controller.plan;

import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import java.util.Map;

/**
 * An AnalysisRun an update waits on before it goes on: an analysis step's, or blue-green's
 * pre- or post-promotion run. Says how the run is named and labelled, how it is recognised among
 * the observed runs, and where status keeps it ({@link RunReferences}).
 *
 * @param suffix appended to the attempt's base name ({@code <rollout>-<hash>-<revision>})
 * @param where how events and messages name the gate, e.g. {@code step 2/4 (analysis: error-rate)}
 */
public record GatedRun(String suffix, Map<String, String> labels, String where, RunReferences.Slot slot) {
  public static GatedRun step(int index, String where) {
    return new GatedRun("-" + index, Map.of(RolloutAnalysisLabels.ANALYSIS_TYPE, RolloutAnalysisLabels.STEP,
        RolloutAnalysisLabels.STEP_INDEX, Integer.toString(index)), where, RunReferences.Slot.STEP);
  }

  public static GatedRun prePromotion(String where) {
    return new GatedRun("-pre", Map.of(RolloutAnalysisLabels.ANALYSIS_TYPE, RolloutAnalysisLabels.PRE_PROMOTION), where,
        RunReferences.Slot.PRE_PROMOTION);
  }

  public static GatedRun postPromotion(String where) {
    return new GatedRun("-post", Map.of(RolloutAnalysisLabels.ANALYSIS_TYPE, RolloutAnalysisLabels.POST_PROMOTION), where,
        RunReferences.Slot.POST_PROMOTION);
  }

  boolean matches(ObservedAnalysisRun run) {
    return labels.entrySet().stream().allMatch(e -> e.getValue().equals(run.labels().get(e.getKey())));
  }
}

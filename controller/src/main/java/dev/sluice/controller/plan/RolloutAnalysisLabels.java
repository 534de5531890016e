package dev.sluice.controller.plan;

import dev.sluice.api.SluiceLabels;

/** Labels on the AnalysisRuns a rollout creates: whose they are and which analysis they run. */
public final class RolloutAnalysisLabels {
  /** The rollout's name (label-safe); the controller watches only runs that carry it. */
  public static final String ROLLOUT = "sluice.dev/rollout";
  /** The pod-template-hash of the canary the run analyses. */
  public static final String POD_TEMPLATE_HASH = SluiceLabels.POD_TEMPLATE_HASH;
  /** {@link #STEP}, {@link #BACKGROUND}, {@link #PRE_PROMOTION} or {@link #POST_PROMOTION}. */
  public static final String ANALYSIS_TYPE = "sluice.dev/analysis-type";
  /** Step runs only: the index of the analysis step. */
  public static final String STEP_INDEX = "sluice.dev/step-index";

  public static final String STEP = "step";
  public static final String BACKGROUND = "background";
  public static final String PRE_PROMOTION = "pre-promotion";
  public static final String POST_PROMOTION = "post-promotion";

  private RolloutAnalysisLabels() {}
}

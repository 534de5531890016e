package dev.sluice.controller.plan;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An analysis step: it starts its AnalysisRun and waits for it. Successful goes on to the next
 * step; Failed or Error aborts the rollout (status says which metric and why); Inconclusive pauses
 * it with reason InconclusiveAnalysisRun until a promote, which goes on to the next step.
 */
final class StepAnalysis {
  private final Context ctx;
  private final RolloutState state;
  private final Outcome out;
  private final AttemptRuns runs;

  StepAnalysis(Context ctx, RolloutState state, Outcome out) {
    this.ctx = ctx;
    this.state = state;
    this.out = out;
    this.runs = new AttemptRuns(ctx, state, out);
  }

  /** @return true when the step is done */
  boolean done(int index, RolloutAnalysis analysis) {
    state.canaryWeight = Math.min(state.canaryWeight, ctx.steps().lastSetWeightBefore(index));
    AnalysisRunReference before = state.stepRun;
    Optional<ObservedAnalysisRun> observed = runs.step(index);
    if (observed.isEmpty()) {
      String name = runs.stepRunName(index);
      AnalysisRunReference created = runs.create(name, analysis, Map.of(
          RolloutAnalysisLabels.ANALYSIS_TYPE, RolloutAnalysisLabels.STEP,
          RolloutAnalysisLabels.STEP_INDEX, Integer.toString(index)));
      // created in an earlier plan and not in the cache yet: same run, same status, no second event
      if (before != null && name.equals(before.name())) {
        return waiting();
      }
      state.stepRun = created;
      out.normal("AnalysisRunCreated", "Started AnalysisRun \"" + name + "\" for " + ctx.steps().describe(index));
      return waiting();
    }
    ObservedAnalysisRun run = observed.get();
    out.runsInUse.add(run.name());
    state.stepRun = RunVerdicts.reference(run);
    AnalysisPhase phase = run.analysisPhase();
    boolean seenBefore = before != null && run.name().equals(before.name()) && Objects.equals(before.status(), state.stepRun.status());
    if (phase == AnalysisPhase.Successful) {
      if (!seenBefore) {
        out.normal("AnalysisRunSuccessful", RunVerdicts.describe(state.stepRun) + " at " + ctx.steps().describe(index));
      }
      return true;
    }
    if (RunVerdicts.bad(phase)) {
      out.warning("AnalysisRun" + phase, RunVerdicts.describe(state.stepRun) + " at " + ctx.steps().describe(index));
      state.abort = true;
      return false;
    }
    if (phase == AnalysisPhase.Inconclusive) {
      return inconclusive(index, seenBefore);
    }
    return waiting();
  }

  private boolean waiting() {
    state.waitingForAnalysis = true;
    return false;
  }

  /** Pauses once; the pause condition gone (promote) means: go on. */
  private boolean inconclusive(int index, boolean seenBefore) {
    if (!seenBefore) {
      out.warning("AnalysisRunInconclusive", RunVerdicts.describe(state.stepRun) + " at " + ctx.steps().describe(index));
      out.normal("RolloutPaused", "Paused at " + ctx.steps().describe(index) + ": the analysis was inconclusive; promote to go on");
      state.enterInconclusivePause(ctx.now());
      return false;
    }
    if (state.pausedFor(RolloutState.INCONCLUSIVE_ANALYSIS)) {
      return false;
    }
    state.controllerPause = !state.pauseConditions.isEmpty();
    out.normal("RolloutPromoted", "Promoted: going on after the inconclusive analysis at " + ctx.steps().describe(index));
    return true;
  }
}

package dev.sluice.controller.plan.canary;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.controller.plan.AttemptRuns;
import dev.sluice.controller.plan.Context;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import dev.sluice.controller.plan.Outcome;
import dev.sluice.controller.plan.Passage;
import dev.sluice.controller.plan.RolloutAnalysisLabels;
import dev.sluice.controller.plan.RolloutState;
import dev.sluice.controller.plan.RunReferences;
import dev.sluice.controller.plan.RunVerdicts;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Background analysis ({@code strategy.canary.analysis}): one AnalysisRun from {@code startingStep}
 * until the canary is promoted. Failed or Error at any point aborts the rollout; Inconclusive
 * pauses it (InconclusiveAnalysisRun) until a promote, which starts a fresh run. It is not started,
 * or is terminated, once promote --full skips the analysis.
 */
final class BackgroundAnalysis {
  private final Context ctx;
  private final Outcome out;
  private final Optional<RolloutAnalysis> analysis;

  BackgroundAnalysis(Context ctx, Outcome out) {
    this.ctx = ctx;
    this.out = out;
    this.analysis = ctx.settings().backgroundAnalysis();
  }

  /**
   * Acts on what the background run says before the steps move.
   *
   * @return not passed when the rollout must not move on: it aborted, or is paused for an inconclusive run
   */
  Passage allowsProgress(RolloutState state) {
    if (analysis.isEmpty() || state.promoteFull()) {
      return new Passage(state, true);
    }
    Optional<ObservedAnalysisRun> observed = new AttemptRuns(ctx, state, out).background();
    if (observed.isEmpty()) {
      return new Passage(state, true);
    }
    ObservedAnalysisRun run = observed.get();
    AnalysisRunReference before = state.runs().background();
    AnalysisRunReference now = RunVerdicts.reference(run);
    RolloutState recorded = state.recordRun(RunReferences.Slot.BACKGROUND, now);
    boolean seenBefore = before != null && run.name().equals(before.name()) && Objects.equals(before.status(), now.status());
    AnalysisPhase phase = run.analysisPhase();
    if (RunVerdicts.bad(phase)) {
      out.useRun(run.name());
      out.warning("AnalysisRun" + phase, "Background " + RunVerdicts.describe(now));
      return new Passage(recorded.abort(), false);
    }
    if (phase != AnalysisPhase.Inconclusive) {
      out.useRun(run.name());
      return new Passage(recorded, true);
    }
    if (!seenBefore) {
      out.useRun(run.name());
      out.warning("AnalysisRunInconclusive", "Background " + RunVerdicts.describe(now));
      out.normal("RolloutPaused", "Paused: the background analysis was inconclusive; promote to go on");
      return new Passage(recorded.enterInconclusivePause(ctx.now()), false);
    }
    if (recorded.pauses().has(RolloutState.INCONCLUSIVE_ANALYSIS)) {
      out.useRun(run.name());
      return new Passage(recorded, false);
    }
    // promoted: this run is done with, a fresh one starts (below, once the steps have moved)
    out.retireRun(run.name());
    RolloutState promoted = recorded.recordRun(RunReferences.Slot.BACKGROUND, null);
    if (!atPauseStep(promoted)) {
      // a pause step's walker sees the promote itself; anywhere else nothing is paused any more
      promoted = promoted.promotedPastInconclusive();
    }
    out.normal("RolloutPromoted", "Promoted: going on after the inconclusive background analysis");
    return new Passage(promoted, true);
  }

  private boolean atPauseStep(RolloutState state) {
    return !ctx.steps().isDone(state.stepIndex()) && ctx.steps().get(state.stepIndex()).pause() != null;
  }

  /** Starts the run once the steps have reached startingStep, if the current attempt has none. */
  RolloutState ensureRunning(RolloutState state) {
    if (analysis.isEmpty() || state.promoteFull() || state.aborted()
        || state.stepIndex() < Optional.ofNullable(analysis.get().startingStep()).orElse(0)) {
      return state;
    }
    AttemptRuns runs = new AttemptRuns(ctx, state, out);
    Optional<ObservedAnalysisRun> observed = runs.background();
    if (observed.isPresent()) {
      out.useRun(observed.get().name());
      return state;
    }
    String name = runs.backgroundRunName();
    AnalysisRunReference created = runs.create(name, analysis.get(),
        Map.of(RolloutAnalysisLabels.ANALYSIS_TYPE, RolloutAnalysisLabels.BACKGROUND));
    if (state.runs().background() != null && name.equals(state.runs().background().name())) {
      return state;
    }
    out.routine("AnalysisRunCreated", "Started background AnalysisRun \"" + name + "\"");
    return state.recordRun(RunReferences.Slot.BACKGROUND, created);
  }
}

package dev.sluice.controller.plan.canary;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.controller.plan.AttemptRuns;
import dev.sluice.controller.plan.Context;
import dev.sluice.controller.plan.Effects;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import dev.sluice.controller.plan.Passage;
import dev.sluice.controller.plan.RolloutAnalysisLabels;
import dev.sluice.controller.plan.RolloutState;
import dev.sluice.controller.plan.RunReferences;
import dev.sluice.controller.plan.RunVerdicts;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Background analysis ({@code strategy.canary.analysis}): one AnalysisRun from {@code startingStep}
 * until the canary is promoted. Failed or Error at any point aborts the rollout; Inconclusive
 * pauses it (InconclusiveAnalysisRun) until a promote, which starts a fresh run. It is not started,
 * or is terminated, once promote --full skips the analysis.
 */
final class BackgroundAnalysis {
  private final Context ctx;
  private final Optional<RolloutAnalysis> analysis;

  BackgroundAnalysis(Context ctx) {
    this.ctx = ctx;
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
    Optional<ObservedAnalysisRun> observed = new AttemptRuns(ctx, state, Set.of()).background();
    if (observed.isEmpty()) {
      return new Passage(state, true);
    }
    ObservedAnalysisRun run = observed.get();
    AnalysisRunReference before = state.runs().background();
    AnalysisRunReference now = RunVerdicts.reference(run);
    RolloutState recorded = state.recordRun(RunReferences.Slot.BACKGROUND, now);
    boolean seenBefore = before != null && run.name().equals(before.name()) && Objects.equals(before.status(), now.status());
    AnalysisPhase phase = run.analysisPhase();
    Effects used = Effects.useRun(run.name());
    if (RunVerdicts.bad(phase)) {
      return new Passage(recorded.abort(), false,
          used.plus(Effects.warning("AnalysisRun" + phase, "Background " + RunVerdicts.describe(now))));
    }
    if (phase != AnalysisPhase.Inconclusive) {
      return new Passage(recorded, true, used);
    }
    if (!seenBefore) {
      return new Passage(recorded.enterInconclusivePause(ctx.now()), false,
          used.plus(Effects.warning("AnalysisRunInconclusive", "Background " + RunVerdicts.describe(now)))
              .plus(Effects.normal("RolloutPaused", "Paused: the background analysis was inconclusive; promote to go on")));
    }
    if (recorded.pauses().has(RolloutState.INCONCLUSIVE_ANALYSIS)) {
      return new Passage(recorded, false, used);
    }
    // promoted: this run is done with, a fresh one starts (below, once the steps have moved)
    RolloutState promoted = recorded.recordRun(RunReferences.Slot.BACKGROUND, null);
    if (!atPauseStep(promoted)) {
      // a pause step's walker sees the promote itself; anywhere else nothing is paused any more
      promoted = promoted.promotedPastInconclusive();
    }
    return new Passage(promoted, true, Effects.retireRun(run.name())
        .plus(Effects.normal("RolloutPromoted", "Promoted: going on after the inconclusive background analysis")));
  }

  private boolean atPauseStep(RolloutState state) {
    return !ctx.steps().isDone(state.stepIndex()) && ctx.steps().get(state.stepIndex()).pause() != null;
  }

  /**
   * Starts the run once the steps have reached startingStep, if the current attempt has none.
   *
   * @param retired observed runs done with earlier in this plan (a promote past an inconclusive run)
   * @return the state with the run recorded, and its creation; always passed
   */
  Passage ensureRunning(RolloutState state, Set<String> retired) {
    if (analysis.isEmpty() || state.promoteFull() || state.aborted()
        || state.stepIndex() < Optional.ofNullable(analysis.get().startingStep()).orElse(0)) {
      return new Passage(state, true);
    }
    AttemptRuns runs = new AttemptRuns(ctx, state, retired);
    Optional<ObservedAnalysisRun> observed = runs.background();
    if (observed.isPresent()) {
      return new Passage(state, true, Effects.useRun(observed.get().name()));
    }
    String name = runs.backgroundRunName();
    AttemptRuns.Created created = runs.create(name, analysis.get(),
        Map.of(RolloutAnalysisLabels.ANALYSIS_TYPE, RolloutAnalysisLabels.BACKGROUND));
    if (state.runs().background() != null && name.equals(state.runs().background().name())) {
      return new Passage(state, true, created.effects());
    }
    return new Passage(state.recordRun(RunReferences.Slot.BACKGROUND, created.reference()), true, created.effects()
        .plus(Effects.routine("AnalysisRunCreated", "Started background AnalysisRun \"" + name + "\"")));
  }
}

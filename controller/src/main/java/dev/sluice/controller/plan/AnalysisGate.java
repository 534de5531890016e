package dev.sluice.controller.plan;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import java.util.Objects;
import java.util.Optional;

/**
 * An analysis the update waits on (an analysis step, blue-green's pre- or post-promotion
 * analysis): it starts the AnalysisRun and waits for it. Successful passes; Failed or Error aborts
 * the rollout (status says which metric and why); Inconclusive pauses it with reason
 * InconclusiveAnalysisRun until a promote, which passes.
 */
public final class AnalysisGate {
  private final Context ctx;
  private final RolloutState state;
  private final Outcome out;
  private final AttemptRuns runs;

  public AnalysisGate(Context ctx, RolloutState state, Outcome out) {
    this.ctx = ctx;
    this.state = state;
    this.out = out;
    this.runs = new AttemptRuns(ctx, state, out);
  }

  /** Whether the gate is passed, with the run recorded (or the abort, the pause, the wait) in the state. */
  public Passage passed(GatedRun gate, RolloutAnalysis analysis) {
    AnalysisRunReference before = state.runs().get(gate.slot());
    Optional<ObservedAnalysisRun> observed = runs.gated(gate);
    if (observed.isEmpty()) {
      String name = runs.gatedRunName(gate);
      AnalysisRunReference created = runs.create(name, analysis, gate.labels());
      RolloutState next = state;
      // created in an earlier plan and not in the cache yet: same run, same status, no second event
      if (before == null || !name.equals(before.name())) {
        next = next.recordRun(gate.slot(), created);
        out.routine("AnalysisRunCreated", "Started AnalysisRun \"" + name + "\" for " + gate.where());
      }
      return waiting(next, name);
    }
    ObservedAnalysisRun run = observed.get();
    out.useRun(run.name());
    AnalysisRunReference now = RunVerdicts.reference(run);
    RolloutState recorded = state.recordRun(gate.slot(), now);
    AnalysisPhase phase = run.analysisPhase();
    boolean seenBefore = before != null && run.name().equals(before.name()) && Objects.equals(before.status(), now.status());
    if (phase == AnalysisPhase.Successful) {
      if (!seenBefore) {
        out.normal("AnalysisRunSuccessful", RunVerdicts.describe(now) + " at " + gate.where());
      }
      return new Passage(recorded, true);
    }
    if (RunVerdicts.bad(phase)) {
      out.warning("AnalysisRun" + phase, RunVerdicts.describe(now) + " at " + gate.where());
      return new Passage(recorded.abort(), false);
    }
    if (phase == AnalysisPhase.Inconclusive) {
      return inconclusive(recorded, gate, now, seenBefore);
    }
    return waiting(recorded, run.name());
  }

  private static Passage waiting(RolloutState state, String run) {
    return new Passage(state.awaitRun(run), false);
  }

  /** Pauses once; the pause condition gone (promote) means: go on. */
  private Passage inconclusive(RolloutState state, GatedRun gate, AnalysisRunReference run, boolean seenBefore) {
    if (!seenBefore) {
      out.warning("AnalysisRunInconclusive", RunVerdicts.describe(run) + " at " + gate.where());
      out.normal("RolloutPaused", "Paused at " + gate.where() + ": the analysis was inconclusive; promote to go on");
      return new Passage(state.enterInconclusivePause(ctx.now()), false);
    }
    if (state.pauses().has(RolloutState.INCONCLUSIVE_ANALYSIS)) {
      return new Passage(state, false);
    }
    out.normal("RolloutPromoted", "Promoted: going on after the inconclusive analysis at " + gate.where());
    return new Passage(state.promotedPastInconclusive(), true);
  }
}

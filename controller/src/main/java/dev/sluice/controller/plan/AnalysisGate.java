package dev.sluice.controller.plan;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.RolloutAnalysis;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An analysis the update waits on (an analysis step, blue-green's pre- or post-promotion
 * analysis): it starts the AnalysisRun and waits for it. Successful passes; Failed or Error aborts
 * the rollout (status says which metric and why); Inconclusive pauses it with reason
 * InconclusiveAnalysisRun until a promote, which passes.
 */
public final class AnalysisGate {
  private final Context ctx;
  private final RolloutState state;
  private final AttemptRuns runs;

  public AnalysisGate(Context ctx, RolloutState state) {
    this.ctx = ctx;
    this.state = state;
    // only the background analysis retires a run, and a gate never takes a background run for its own
    this.runs = new AttemptRuns(ctx, state, Set.of());
  }

  /** Whether the gate is passed, with the run recorded (or the abort, the pause, the wait) in the state. */
  public Passage passed(GatedRun gate, RolloutAnalysis analysis) {
    AnalysisRunReference before = state.runs().get(gate.slot());
    Optional<ObservedAnalysisRun> observed = runs.gated(gate);
    if (observed.isEmpty()) {
      String name = runs.gatedRunName(gate);
      AttemptRuns.Created created = runs.create(name, analysis, gate.labels());
      RolloutState next = state;
      Effects said = created.effects();
      // created in an earlier plan and not in the cache yet: same run, same status, no second event
      if (before == null || !name.equals(before.name())) {
        next = next.recordRun(gate.slot(), created.reference());
        said = said.plus(Effects.routine("AnalysisRunCreated", "Started AnalysisRun \"" + name + "\" for " + gate.where()));
      }
      return waiting(next, name).after(said);
    }
    ObservedAnalysisRun run = observed.get();
    return judged(run, before, gate).after(Effects.useRun(run.name()));
  }

  /** What the observed run of the gate says. */
  private Passage judged(ObservedAnalysisRun run, AnalysisRunReference before, GatedRun gate) {
    AnalysisRunReference now = RunVerdicts.reference(run);
    RolloutState recorded = state.recordRun(gate.slot(), now);
    AnalysisPhase phase = run.analysisPhase();
    boolean seenBefore = before != null && run.name().equals(before.name()) && Objects.equals(before.status(), now.status());
    if (phase == AnalysisPhase.Successful) {
      return new Passage(recorded, true, seenBefore ? Effects.NONE
          : Effects.normal("AnalysisRunSuccessful", RunVerdicts.describe(now) + " at " + gate.where()));
    }
    if (RunVerdicts.bad(phase)) {
      return new Passage(recorded.abort(), false,
          Effects.warning("AnalysisRun" + phase, RunVerdicts.describe(now) + " at " + gate.where()));
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
      return new Passage(state.enterInconclusivePause(ctx.now()), false,
          Effects.warning("AnalysisRunInconclusive", RunVerdicts.describe(run) + " at " + gate.where())
              .plus(Effects.normal("RolloutPaused", "Paused at " + gate.where()
                  + ": the analysis was inconclusive; promote to go on")));
    }
    if (state.pauses().has(RolloutState.INCONCLUSIVE_ANALYSIS)) {
      return new Passage(state, false);
    }
    return new Passage(state.promotedPastInconclusive(), true,
        Effects.normal("RolloutPromoted", "Promoted: going on after the inconclusive analysis at " + gate.where()));
  }
}

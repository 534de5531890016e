package dev.sluice.controller.plan;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.controller.plan.Action.DeleteAnalysisRun;
import dev.sluice.controller.plan.Action.TerminateAnalysisRun;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The AnalysisRun actions of a plan: the runs to create, then every run the rollout no longer
 * needs terminated (when an attempt ends: abort, completion, promote --full, a new template, steps
 * started over), then the oldest completed runs beyond the history limits deleted: at most
 * {@value #SUCCESSFUL_LIMIT} Successful and {@value #UNSUCCESSFUL_LIMIT} Failed, Error or
 * Inconclusive are kept per rollout. A run still measuring is never deleted, nor one status names.
 */
final class AnalysisRunCleanup {
  static final int SUCCESSFUL_LIMIT = 5;
  static final int UNSUCCESSFUL_LIMIT = 5;

  private AnalysisRunCleanup() {}

  /** @param said what the plan's steps said: the runs they create, use, retire or hold */
  static List<Action> plan(Context ctx, RolloutState state, Effects said) {
    List<Action> actions = new ArrayList<>(said.runsToCreate());
    Set<String> deleted = new HashSet<>();
    for (ObservedAnalysisRun run : beyondHistory(ctx, state)) {
      deleted.add(run.name());
    }
    ctx.observed().analysisRuns().stream()
        .filter(run -> !run.terminate() && !run.deleting() && !deleted.contains(run.name()) && !needed(ctx, state, said, run))
        .sorted(Comparator.comparing(ObservedAnalysisRun::name))
        .forEach(run -> actions.add(new TerminateAnalysisRun(run.name())));
    deleted.stream().sorted().forEach(name -> actions.add(new DeleteAnalysisRun(name)));
    return actions;
  }

  /** Whether the live update still waits on the run, or keeps it as the record of a passed step. */
  private static boolean needed(Context ctx, RolloutState state, Effects said, ObservedAnalysisRun run) {
    boolean ofThisAttempt = state.liveUpdate(ctx.desiredHash()) && !state.attemptRestarted()
        && ctx.desiredHash().equals(run.podTemplateHash()) && !said.retired(run.name());
    if (!ofThisAttempt) {
      return false;
    }
    if (said.inUse(run.name()) || said.holdingRuns()) {
      return true;
    }
    return run.analysisPhase().completed() && run.stepIndex().map(i -> i < state.stepIndex()).orElse(false);
  }

  /** Completed runs past the limits, oldest first; the runs status refers to count but stay. */
  private static List<ObservedAnalysisRun> beyondHistory(Context ctx, RolloutState state) {
    Set<String> referenced = new HashSet<>();
    state.runs().all().stream().filter(r -> r != null).map(AnalysisRunReference::name).forEach(referenced::add);
    List<ObservedAnalysisRun> newestFirst = ctx.observed().analysisRuns().stream()
        .filter(run -> !run.deleting() && run.analysisPhase().completed())
        .sorted(Comparator.comparing(ObservedAnalysisRun::created).thenComparing(ObservedAnalysisRun::name).reversed())
        .toList();
    List<ObservedAnalysisRun> beyond = new ArrayList<>();
    int successful = 0;
    int unsuccessful = 0;
    for (ObservedAnalysisRun run : newestFirst) {
      boolean over = run.analysisPhase() == AnalysisPhase.Successful
          ? ++successful > SUCCESSFUL_LIMIT
          : ++unsuccessful > UNSUCCESSFUL_LIMIT;
      if (over && !referenced.contains(run.name())) {
        beyond.add(run);
      }
    }
    return beyond;
  }
}

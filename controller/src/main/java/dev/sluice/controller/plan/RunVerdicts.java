package dev.sluice.controller.plan;

import dev.sluice.analysis.AnalysisPhase;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun;
import dev.sluice.controller.plan.Observed.ObservedAnalysisRun.MetricOutcome;
import java.util.Comparator;
import java.util.Optional;

/** What an AnalysisRun says, in the words the rollout's status, message and events use. */
public final class RunVerdicts {
  private RunVerdicts() {}

  /** The run as status.canary shows it: name, phase, and which metric decided it and why. */
  public static AnalysisRunReference reference(ObservedAnalysisRun run) {
    String phase = run.phase() == null || run.phase().isBlank() ? AttemptRuns.PENDING : run.phase();
    return new AnalysisRunReference(run.name(), phase, why(run));
  }

  /**
   * The run's own message (the run reconciler names the deciding metric and why, secrets masked);
   * for a run without one, the worst metric that did not succeed.
   */
  static String why(ObservedAnalysisRun run) {
    if (run.message() != null && !run.message().isBlank()) {
      return run.message();
    }
    return run.metrics().stream()
        .filter(m -> bad(AnalysisPhase.parse(m.phase())) || AnalysisPhase.parse(m.phase()) == AnalysisPhase.Inconclusive)
        .max(Comparator.comparingInt((MetricOutcome m) -> AnalysisPhase.parse(m.phase()).severity()))
        .map(m -> "metric \"" + m.name() + "\" assessed " + m.phase()
            + (m.message() == null || m.message().isBlank() ? "" : " due to " + m.message()))
        .orElse(null);
  }

  public static boolean bad(AnalysisPhase phase) {
    return phase == AnalysisPhase.Failed || phase == AnalysisPhase.Error;
  }

  /** {@code AnalysisRun "x" Failed: metric "error-rate" assessed Failed due to ...} */
  public static String describe(AnalysisRunReference ref) {
    return "AnalysisRun \"" + ref.name() + "\" " + ref.status() + (ref.message() == null ? "" : ": " + ref.message());
  }

  /** Why the rollout aborted, when an analysis made it: the run that failed or errored. */
  static Optional<String> abortCause(RolloutState state) {
    return state.runs().all().stream()
        .filter(ref -> ref != null && bad(AnalysisPhase.parse(ref.status())))
        .findFirst()
        .map(RunVerdicts::describe);
  }

  /** Status keeps naming the runs of the ended attempt, with the phase they ended in once terminated. */
  static RolloutState refreshReferences(Context ctx, RolloutState state) {
    return state.refreshRuns(ref -> refreshed(ctx, ref));
  }

  /**
   * Status shows a terminated run (its step promoted past, promote --full) with the phase it ended
   * in; the rollout no longer waits on it, so nothing else reads that phase.
   */
  static RolloutState refreshTerminated(Context ctx, RolloutState state) {
    return state.refreshRuns(ref -> ref != null && ctx.observed().analysisRuns().stream()
        .anyMatch(run -> run.name().equals(ref.name()) && run.terminate()) ? refreshed(ctx, ref) : ref);
  }

  private static AnalysisRunReference refreshed(Context ctx, AnalysisRunReference ref) {
    if (ref == null) {
      return null;
    }
    return ctx.observed().analysisRuns().stream()
        .filter(run -> run.name().equals(ref.name()) && !run.deleting())
        .findFirst()
        .map(RunVerdicts::reference)
        .orElse(ref);
  }
}

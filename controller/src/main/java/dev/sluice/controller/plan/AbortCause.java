package dev.sluice.controller.plan;

/**
 * Why a rollout is aborted, in the words its message, its Progressing condition and the
 * RolloutAborted event use: a failed analysis (the run and the metric), the progress deadline
 * (with progressDeadlineAbort; the Progressing condition keeps ProgressDeadlineExceeded, as in
 * Argo Rollouts), or the user.
 */
final class AbortCause {
  static final String ABORTED = "RolloutAborted";

  private AbortCause() {}

  /** The Progressing condition's reason while aborted. */
  static String reason(Context ctx, RolloutState state) {
    return byDeadline(ctx, state) ? ProgressDeadline.EXCEEDED : ABORTED;
  }

  /** {@code Rollout aborted update to revision 4: <why>} */
  static String message(Context ctx, RolloutState state) {
    return "Rollout aborted update to revision " + ctx.desiredRevision() + ": " + why(ctx, state);
  }

  private static String why(Context ctx, RolloutState state) {
    var analysis = RunVerdicts.abortCause(state);
    if (analysis.isPresent()) {
      return analysis.get();
    }
    if (byDeadline(ctx, state)) {
      return "ReplicaSet \"" + ctx.replicaSetName(ctx.desiredHash()) + "\" made no progress for "
          + ctx.settings().progressDeadline().toSeconds() + "s (progressDeadlineSeconds, progressDeadlineAbort)";
    }
    return "aborted by the user (status.abort)";
  }

  private static boolean byDeadline(Context ctx, RolloutState state) {
    return state.pastProgressDeadline() && ctx.settings().progressDeadlineAbort() && RunVerdicts.abortCause(state).isEmpty();
  }
}

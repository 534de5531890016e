package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The progress part of status (hashes, step, pause, abort, analysis runs) while a plan is being made:
 * a value. It starts as the observed status; every planning step that moves it returns the moved
 * state ({@link #complete}, {@link #abort()}, {@link #stepCompleted}, ... for a strategy; the
 * lifecycle's {@link #settle}, {@link #startUpdate}, {@link #retry}, ... package-private), and the
 * lifecycle carries the latest one on, so what a step saw is what the step before it returned.
 *
 * @param pastProgressDeadline the Progressing condition said ProgressDeadlineExceeded when this plan began
 * @param attemptRestarted nothing of the last attempt carries on (steps started over, or the update
 *     completed or settled, in this plan): no run observed so far, nor status' canary weight, belongs to the current one
 * @param awaitedRun the run this plan stopped at, still measuring (the progress deadline does not run); null when none
 */
public record RolloutState(String currentPodHash, String stableRS, String currentStepHash, int stepIndex, Pauses pauses,
    boolean aborted, String abortedAt, boolean pastProgressDeadline, boolean promoteFull, RunReferences runs,
    boolean attemptRestarted, String awaitedRun) {
  public static final String INCONCLUSIVE_ANALYSIS = "InconclusiveAnalysisRun";
  /** The phase of an AnalysisRun that met neither condition. */
  public static final String INCONCLUSIVE = "Inconclusive";

  private static final RolloutState NONE = new RolloutState(null, null, null, 0, Pauses.NONE, false, null, false, false,
      RunReferences.NONE, false, null);

  static RolloutState from(RolloutStatus status) {
    if (status == null) {
      return NONE;
    }
    return new RolloutState(status.currentPodHash(), status.stableRS(), status.currentStepHash(),
        status.currentStepIndex() == null ? 0 : Math.max(0, status.currentStepIndex()),
        Pauses.of(status),
        Boolean.TRUE.equals(status.abort()),
        status.abortedAt(),
        StatusConditions.find(status.conditions(), StatusConditions.PROGRESSING)
            .map(c -> ProgressDeadline.EXCEEDED.equals(c.reason())).orElse(false),
        Boolean.TRUE.equals(status.promoteFull()),
        RunReferences.of(status),
        false,
        null);
  }

  /**
   * The update made no progress for progressDeadlineSeconds and spec.progressDeadlineAbort is set:
   * it is aborted in this plan, as if by the user, and the abort says why.
   */
  RolloutState abortedByDeadline() {
    return new RolloutState(currentPodHash, stableRS, currentStepHash, stepIndex, pauses, true, null, true, promoteFull,
        runs, attemptRestarted, awaitedRun);
  }

  /** The update completed: {@code hash} is the stable now, and nothing of the attempt (pauses, runs, promote --full) stays. */
  public RolloutState complete(String hash) {
    return new RolloutState(currentPodHash, hash, currentStepHash, stepIndex, Pauses.NONE, aborted, abortedAt,
        pastProgressDeadline, false, RunReferences.NONE, true, awaitedRun);
  }

  /** The update is aborted (a failed analysis); the lifecycle sends everything back to the stable. */
  public RolloutState abort() {
    return new RolloutState(currentPodHash, stableRS, currentStepHash, stepIndex, pauses, true, abortedAt,
        pastProgressDeadline, promoteFull, runs, attemptRestarted, awaitedRun);
  }

  /** The current step is done: the next one is current. */
  public RolloutState stepCompleted() {
    return atStep(stepIndex + 1, pauses);
  }

  /** A rollback within spec.rollbackWindow: promoted fully from the start, as if by promote --full. */
  RolloutState fastTrack(int stepCount) {
    RolloutState skipped = skipSteps(stepCount);
    return new RolloutState(currentPodHash, stableRS, currentStepHash, skipped.stepIndex, skipped.pauses, aborted,
        abortedAt, pastProgressDeadline, true, runs, attemptRestarted, awaitedRun);
  }

  /** promote --full: every step is skipped, and any pause with them. */
  public RolloutState skipSteps(int stepCount) {
    return atStep(stepCount, Pauses.NONE);
  }

  /** Status names {@code run} (null: none) in {@code slot}. */
  public RolloutState recordRun(RunReferences.Slot slot, AnalysisRunReference run) {
    return withRuns(runs.with(slot, run));
  }

  /**
   * The user promoted past an inconclusive run (removed its pause condition): the controller pause
   * holds only while another pause condition is left.
   */
  public RolloutState promotedPastInconclusive() {
    return withPauses(pauses.held(!pauses.conditions().isEmpty()));
  }

  /** An update is under way and not aborted: the canary is what traffic should move to. */
  public boolean liveUpdate(String desiredHash) {
    return !desiredHash.equals(stableRS) && !aborted;
  }

  /** Paused for {@code reason} from {@code now} (a condition it had for it is replaced). */
  RolloutState enterPause(String reason, Instant now) {
    return withPauses(pauses.entered(reason, now));
  }

  RolloutState leavePause(String reason) {
    return withPauses(pauses.left(reason));
  }

  /** Pause for an inconclusive analysis (once, even if a step run and the background run both are). */
  public RolloutState enterInconclusivePause(Instant now) {
    return withPauses(pauses.enteredOnce(INCONCLUSIVE_ANALYSIS, now));
  }

  /**
   * No update (first deploy, the template is the stable one): {@code hash} is the stable and the
   * current pod hash, all steps are done and nothing of an attempt (abort, pauses, runs) is left.
   */
  RolloutState settle(String hash, String stepsHash, int stepCount) {
    return new RolloutState(hash, hash, stepsHash, stepCount, Pauses.NONE, false, null, pastProgressDeadline, false,
        RunReferences.NONE, true, awaitedRun);
  }

  /** A new template: an update to {@code hash} starts from its first step, not aborted. */
  RolloutState startUpdate(String hash) {
    RolloutState restarted = restartSteps();
    return new RolloutState(hash, stableRS, currentStepHash, restarted.stepIndex, restarted.pauses, false, null,
        pastProgressDeadline, restarted.promoteFull, restarted.runs, restarted.attemptRestarted, awaitedRun);
  }

  /** The steps in force (an index past an edited list's end is its end). */
  RolloutState followSteps(String stepsHash, int stepCount) {
    return new RolloutState(currentPodHash, stableRS, stepsHash, Math.min(stepIndex, stepCount), pauses, aborted,
        abortedAt, pastProgressDeadline, promoteFull, runs, attemptRestarted, awaitedRun);
  }

  /** The abort was cleared: the update starts again from its first step. */
  RolloutState retry() {
    return restartSteps().withAbortedAt(null);
  }

  /** The abort begins now: status.abortedAt says when (the abort scale-down delay counts from it). */
  RolloutState abortedSince(Instant at) {
    return withAbortedAt(Timestamps.format(at));
  }

  /** While aborted the update stands at its first step, unpaused. */
  RolloutState holdAborted() {
    return new RolloutState(currentPodHash, stableRS, currentStepHash, 0, Pauses.NONE, aborted, abortedAt,
        pastProgressDeadline, false, runs, attemptRestarted, awaitedRun);
  }

  /** The plan stopped at run {@code name}, still measuring. */
  RolloutState awaitRun(String name) {
    return new RolloutState(currentPodHash, stableRS, currentStepHash, stepIndex, pauses, aborted, abortedAt,
        pastProgressDeadline, promoteFull, runs, attemptRestarted, name);
  }

  /** The user promoted out of a pause the controller put the rollout in (removed its condition). */
  RolloutState promotedOutOfPause() {
    return withPauses(pauses.held(false));
  }

  /** The controller's pause holds. */
  RolloutState stayPaused() {
    return withPauses(pauses.held(true));
  }

  /** Every run status names, as {@code refresh} says it is now. */
  RolloutState refreshRuns(UnaryOperator<AnalysisRunReference> refresh) {
    return withRuns(runs.map(refresh));
  }

  /** Steps start over (new template, retry, edited steps); nothing of the last attempt is kept, its runs included. */
  RolloutState restartSteps() {
    return new RolloutState(currentPodHash, stableRS, currentStepHash, 0, Pauses.NONE, aborted, abortedAt,
        pastProgressDeadline, false, RunReferences.NONE, true, awaitedRun);
  }

  private RolloutState atStep(int index, Pauses p) {
    return new RolloutState(currentPodHash, stableRS, currentStepHash, index, p, aborted, abortedAt,
        pastProgressDeadline, promoteFull, runs, attemptRestarted, awaitedRun);
  }

  private RolloutState withPauses(Pauses p) {
    return atStep(stepIndex, p);
  }

  private RolloutState withRuns(RunReferences r) {
    return new RolloutState(currentPodHash, stableRS, currentStepHash, stepIndex, pauses, aborted, abortedAt,
        pastProgressDeadline, promoteFull, r, attemptRestarted, awaitedRun);
  }

  private RolloutState withAbortedAt(String at) {
    return new RolloutState(currentPodHash, stableRS, currentStepHash, stepIndex, pauses, aborted, at,
        pastProgressDeadline, promoteFull, runs, attemptRestarted, awaitedRun);
  }
}

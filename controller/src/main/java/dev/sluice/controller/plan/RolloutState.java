package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * The progress part of status (hashes, step, pause, abort, analysis runs) while a plan is being made.
 * Starts as the observed status; the planner moves it forward. The fields are private: everyone
 * reads them through the accessors and moves them with the intention-named methods (the lifecycle's
 * are package-private, {@link #settle}, {@link #startUpdate}, {@link #retry}, ...; a strategy's
 * public, {@link #complete}, {@link #abort()}, {@link #stepCompleted}, ...). The pauses and the
 * AnalysisRun references are values ({@link Pauses}, {@link RunReferences}) read as a whole.
 */
public final class RolloutState {
  public static final String INCONCLUSIVE_ANALYSIS = "InconclusiveAnalysisRun";
  /** The phase of an AnalysisRun that met neither condition. */
  public static final String INCONCLUSIVE = "Inconclusive";

  private String currentPodHash;
  private String stableRS;
  private String currentStepHash;
  private int stepIndex;
  private Pauses pauses = Pauses.NONE;
  private boolean abort;
  private String abortedAt;
  /** The Progressing condition said ProgressDeadlineExceeded when this plan began. */
  private boolean pastProgressDeadline;
  private boolean promoteFull;
  private RunReferences runs = RunReferences.NONE;
  /**
   * Nothing of the last attempt carries on (steps started over, or the update completed or settled,
   * in this plan): no run observed so far, nor status' canary weight, belongs to the current one.
   */
  private boolean attemptRestarted;
  /** The run this plan stopped at, still measuring (the progress deadline does not run); null when none. */
  private String awaitedRun;

  static RolloutState from(RolloutStatus status) {
    RolloutState s = new RolloutState();
    if (status == null) {
      return s;
    }
    s.currentPodHash = status.currentPodHash();
    s.stableRS = status.stableRS();
    s.currentStepHash = status.currentStepHash();
    s.stepIndex = status.currentStepIndex() == null ? 0 : Math.max(0, status.currentStepIndex());
    s.pauses = Pauses.of(status);
    s.abort = Boolean.TRUE.equals(status.abort());
    s.abortedAt = status.abortedAt();
    s.pastProgressDeadline = StatusConditions.find(status.conditions(), StatusConditions.PROGRESSING)
        .map(c -> ProgressDeadline.EXCEEDED.equals(c.reason())).orElse(false);
    s.promoteFull = Boolean.TRUE.equals(status.promoteFull());
    s.runs = RunReferences.of(status);
    return s;
  }

  /**
   * The update made no progress for progressDeadlineSeconds and spec.progressDeadlineAbort is set:
   * it is aborted in this plan, as if by the user, and the abort says why.
   */
  RolloutState abortedByDeadline() {
    abort = true;
    abortedAt = null;
    pastProgressDeadline = true;
    return this;
  }

  String currentPodHash() {
    return currentPodHash;
  }

  public String stableRS() {
    return stableRS;
  }

  public String currentStepHash() {
    return currentStepHash;
  }

  public int stepIndex() {
    return stepIndex;
  }

  public boolean aborted() {
    return abort;
  }

  public Pauses pauses() {
    return pauses;
  }

  String abortedAt() {
    return abortedAt;
  }

  /** The Progressing condition said ProgressDeadlineExceeded when this plan began. */
  boolean pastProgressDeadline() {
    return pastProgressDeadline;
  }

  public boolean promoteFull() {
    return promoteFull;
  }

  /** The runs status names for this attempt. */
  public RunReferences runs() {
    return runs;
  }

  public boolean attemptRestarted() {
    return attemptRestarted;
  }

  public String awaitedRun() {
    return awaitedRun;
  }

  /** The update completed: {@code hash} is the stable now, and nothing of the attempt (pauses, runs, promote --full) stays. */
  public void complete(String hash) {
    stableRS = hash;
    promoteFull = false;
    clearPauses();
    forgetAnalysis();
  }

  /** The update is aborted (a failed analysis); the lifecycle sends everything back to the stable. */
  public void abort() {
    abort = true;
  }

  /** The current step is done: the next one is current. */
  public void stepCompleted() {
    stepIndex++;
  }

  /** A rollback within spec.rollbackWindow: promoted fully from the start, as if by promote --full. */
  void fastTrack(int stepCount) {
    promoteFull = true;
    skipSteps(stepCount);
  }

  /** promote --full: every step is skipped, and any pause with them. */
  public void skipSteps(int stepCount) {
    stepIndex = stepCount;
    clearPauses();
  }

  /** Status names {@code run} (null: none) in {@code slot}. */
  public void recordRun(RunReferences.Slot slot, AnalysisRunReference run) {
    runs = runs.with(slot, run);
  }

  /**
   * The user promoted past an inconclusive run (removed its pause condition): the controller pause
   * holds only while another pause condition is left.
   */
  public void promotedPastInconclusive() {
    pauses = pauses.held(!pauses.conditions().isEmpty());
  }

  /** An update is under way and not aborted: the canary is what traffic should move to. */
  public boolean liveUpdate(String desiredHash) {
    return !desiredHash.equals(stableRS) && !abort;
  }

  /** Paused for {@code reason} from {@code now} (a condition it had for it is replaced). */
  void enterPause(String reason, Instant now) {
    pauses = pauses.entered(reason, now);
  }

  void leavePause(String reason) {
    pauses = pauses.left(reason);
  }

  /** Pause for an inconclusive analysis (once, even if a step run and the background run both are). */
  public void enterInconclusivePause(Instant now) {
    pauses = pauses.enteredOnce(INCONCLUSIVE_ANALYSIS, now);
  }

  private void clearPauses() {
    pauses = Pauses.NONE;
  }

  /**
   * No update (first deploy, the template is the stable one): {@code hash} is the stable and the
   * current pod hash, all steps are done and nothing of an attempt (abort, pauses, runs) is left.
   */
  void settle(String hash, String stepsHash, int stepCount) {
    stableRS = hash;
    currentPodHash = hash;
    currentStepHash = stepsHash;
    stepIndex = stepCount;
    clearPauses();
    abort = false;
    abortedAt = null;
    promoteFull = false;
    forgetAnalysis();
  }

  /** A new template: an update to {@code hash} starts from its first step, not aborted. */
  void startUpdate(String hash) {
    currentPodHash = hash;
    restartSteps();
    abort = false;
    abortedAt = null;
  }

  /** The steps in force (an index past an edited list's end is its end). */
  void followSteps(String stepsHash, int stepCount) {
    currentStepHash = stepsHash;
    stepIndex = Math.min(stepIndex, stepCount);
  }

  /** The abort was cleared: the update starts again from its first step. */
  void retry() {
    abortedAt = null;
    restartSteps();
  }

  /** The abort begins now: status.abortedAt says when (the abort scale-down delay counts from it). */
  void abortedSince(Instant at) {
    abortedAt = Timestamps.format(at);
  }

  /** While aborted the update stands at its first step, unpaused. */
  void holdAborted() {
    stepIndex = 0;
    clearPauses();
    promoteFull = false;
  }

  /** The plan stopped at run {@code name}, still measuring. */
  void awaitRun(String name) {
    awaitedRun = name;
  }

  /** The user promoted out of a pause the controller put the rollout in (removed its condition). */
  void promotedOutOfPause() {
    pauses = pauses.held(false);
  }

  /** The controller's pause holds. */
  void stayPaused() {
    pauses = pauses.held(true);
  }

  /** Every run status names, as {@code refresh} says it is now. */
  void refreshRuns(UnaryOperator<AnalysisRunReference> refresh) {
    runs = runs.map(refresh);
  }

  /** Steps start over (new template, retry, edited steps); nothing of the last attempt is kept, its runs included. */
  void restartSteps() {
    stepIndex = 0;
    clearPauses();
    promoteFull = false;
    forgetAnalysis();
  }

  /** No run of the last attempt is waited on or shown any more. */
  private void forgetAnalysis() {
    runs = RunReferences.NONE;
    attemptRestarted = true;
  }
}

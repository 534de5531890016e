package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle common to every strategy: decides which situation the rollout is in (first deploy,
 * steady, update, abort, retry, user pause) and moves its state forward accordingly, asking the
 * strategy to move a live update; returns where each ReplicaSet should go.
 */
final class RolloutProgression {
  private final Context ctx;
  private final RolloutState state;
  private final Outcome out;
  private final UpdateStrategy strategy;

  private RolloutProgression(Context ctx, RolloutState state, Outcome out, UpdateStrategy strategy) {
    this.ctx = ctx;
    this.state = state;
    this.out = out;
    this.strategy = strategy;
  }

  static Targets advance(Context ctx, RolloutState state, Outcome out, UpdateStrategy strategy) {
    return new RolloutProgression(ctx, state, out, strategy).advance();
  }

  private Targets advance() {
    if (ctx.replicaSet(state.stableRS()).isEmpty()) {
      return firstDeploy();
    }
    if (ctx.desiredHash().equals(state.stableRS())) {
      return steady();
    }
    return update();
  }

  /**
   * Nothing stable to protect (first deploy, the template set back to a stable that is gone, or a
   * promote --full after the stable went: see {@link MissingStable}): no steps.
   */
  private Targets firstDeploy() {
    if (!ctx.desiredHash().equals(state.currentPodHash())) {
      out.normal("RolloutDeployed", "Deploying revision " + ctx.desiredRevision() + " at once (nothing stable to protect)");
    }
    settle();
    return steadyTargets();
  }

  /** The template is the stable one; if an update was under way, it is dropped at once, without steps. */
  private Targets steady() {
    if (state.currentPodHash() != null && !ctx.desiredHash().equals(state.currentPodHash())) {
      out.normal("RolledBackToStable", "Template is back to the stable revision " + ctx.desiredRevision()
          + ": skipping the steps and scaling the canary down");
      out.removeManagedRoutes();
    }
    settle();
    return steadyTargets();
  }

  private void settle() {
    state.settle(ctx.desiredHash(), ctx.steps().hash(), ctx.steps().size());
  }

  private Targets steadyTargets() {
    return ctx.settings().paused() ? Targets.FROZEN : Targets.of(Map.of(ctx.desiredHash(), ctx.replicas()));
  }

  private Targets update() {
    String stepsHash = ctx.steps().hash();
    boolean wasUpdating = state.currentPodHash() != null && !state.currentPodHash().equals(state.stableRS());
    if (!ctx.desiredHash().equals(state.currentPodHash())) {
      // routes the last canary's steps set would send requests to the next canary before its steps do
      if (wasUpdating) {
        out.removeManagedRoutes();
      }
      Optional<String> rollback = RollbackWindow.fastTrack(ctx, state.stableRS());
      state.startUpdate(ctx.desiredHash());
      out.normal("RolloutUpdated", "Rollout updated to revision " + ctx.desiredRevision());
      if (rollback.isPresent()) {
        state.fastTrack(ctx.steps().size());
        out.normal("RollbackWithinWindow", rollback.get());
      } else {
        announceFirstStep();
      }
    } else if (state.currentStepHash() != null && !state.currentStepHash().equals(stepsHash)) {
      out.removeManagedRoutes();
      state.restartSteps();
      out.normal("StepsChanged", "The steps were edited: starting them again");
      announceFirstStep();
    }
    state.followSteps(stepsHash, ctx.steps().size());
    RunVerdicts.refreshTerminated(ctx, state);

    if (state.aborted()) {
      return abort();
    }
    if (state.abortedAt() != null) {
      state.retry();
      out.normal("RolloutRetried", "Retrying the update to revision " + ctx.desiredRevision() + " from the first step");
      announceFirstStep();
    }
    if (ctx.settings().paused()) {
      out.holdRuns();
      return Targets.FROZEN;
    }
    Targets targets = strategy.advance(state, out);
    if (state.aborted()) {
      return abort();
    }
    if (ctx.desiredHash().equals(state.stableRS())) {
      return steadyTargets();
    }
    return targets;
  }

  private void announceFirstStep() {
    if (ctx.steps().size() > 0) {
      out.normal("StepStarted", "Started " + ctx.steps().describe(0));
    }
  }

  /**
   * Traffic (the reported weight) goes back to stable at once and the stable scales back up (the
   * canary's AnalysisRuns are terminated); the canary keeps its pods until abortScaleDownDelaySeconds have passed (0: keeps them) and, with a
   * router, until the router reports that no traffic goes to it any more.
   */
  private Targets abort() {
    RunVerdicts.refreshReferences(ctx, state);
    Instant abortedAt = Timestamps.tryParse(state.abortedAt()).orElse(null);
    if (abortedAt == null) {
      if (state.abortedAt() == null) {
        out.warning(AbortCause.ABORTED, AbortCause.message(ctx, state));
      }
      out.removeManagedRoutes();
      abortedAt = ctx.now();
      state.abortedSince(abortedAt);
    }
    state.holdAborted();

    int canaryPods = ctx.specReplicas(ctx.desiredHash());
    Duration delay = ctx.settings().abortScaleDownDelay();
    if (!delay.isZero()) {
      Instant scaleDownAt = abortedAt.plus(delay);
      if (ctx.now().isBefore(scaleDownAt)) {
        out.wakeAt(scaleDownAt);
      } else if (strategy.updateCarriesNoTraffic()) {
        canaryPods = 0;
      }
    }
    return new Targets(Map.of(ctx.desiredHash(), canaryPods, state.stableRS(), ctx.replicas()), false, false);
  }
}

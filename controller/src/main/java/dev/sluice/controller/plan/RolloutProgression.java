package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The lifecycle common to every strategy: decides which situation the rollout is in (first deploy,
 * steady, update, abort, retry, user pause) and moves its state forward accordingly, asking the
 * strategy to move a live update and about its steps; returns the moved state, where each
 * ReplicaSet should go and what was said on the way ({@link Progress}). The progress deadline is
 * decided here, right after the strategy's advance: with progressDeadlineAbort an update that made
 * no progress is aborted in the same move, from where it stood before the advance.
 */
final class RolloutProgression<M> {
  private final Context ctx;
  private final UpdateStrategy<M> strategy;

  private RolloutProgression(Context ctx, UpdateStrategy<M> strategy) {
    this.ctx = ctx;
    this.strategy = strategy;
  }

  static <M> Progress<M> advance(Context ctx, RolloutState state, UpdateStrategy<M> strategy) {
    return new RolloutProgression<>(ctx, strategy).advance(state);
  }

  /** Before anything moves, what the strategy sees change by itself is said; then the rollout moves. */
  private Progress<M> advance(RolloutState state) {
    Effects announced = strategy.announceChanges();
    if (ctx.replicaSet(state.stableRS()).isEmpty()) {
      return firstDeploy(state, announced);
    }
    if (ctx.desiredHash().equals(state.stableRS())) {
      return steady(state, announced);
    }
    return update(state, announced);
  }

  /**
   * Nothing stable to protect (first deploy, the template set back to a stable that is gone, or a
   * promote --full after the stable went: see {@link MissingStable}): no steps.
   */
  private Progress<M> firstDeploy(RolloutState state, Effects announced) {
    Effects said = ctx.desiredHash().equals(state.currentPodHash()) ? announced
        : announced.plus(Effects.normal("RolloutDeployed", "Deploying revision " + ctx.desiredRevision()
            + " at once (nothing stable to protect)"));
    return new Progress<>(settle(state), steadyTargets(), false, said);
  }

  /** The template is the stable one; if an update was under way, it is dropped at once, without steps. */
  private Progress<M> steady(RolloutState state, Effects announced) {
    boolean dropped = state.currentPodHash() != null && !ctx.desiredHash().equals(state.currentPodHash());
    Effects said = !dropped ? announced
        : announced.plus(Effects.normal("RolledBackToStable", "Template is back to the stable revision "
            + ctx.desiredRevision() + ": skipping the steps and scaling the canary down"));
    return new Progress<>(settle(state), steadyTargets(), dropped, said);
  }

  private RolloutState settle(RolloutState state) {
    return state.settle(ctx.desiredHash(), strategy.stepsHash(), strategy.stepCount());
  }

  private Targets steadyTargets() {
    return ctx.settings().paused() ? Targets.FROZEN : Targets.of(Map.of(ctx.desiredHash(), ctx.replicas()));
  }

  private Progress<M> update(RolloutState observed, Effects announced) {
    RolloutState state = observed;
    Effects said = announced;
    String stepsHash = strategy.stepsHash();
    boolean dropped = false;
    boolean wasUpdating = state.currentPodHash() != null && !state.currentPodHash().equals(state.stableRS());
    if (!ctx.desiredHash().equals(state.currentPodHash())) {
      // what the last update's steps set up (routes) would serve the next update before its steps do
      dropped = wasUpdating;
      Optional<String> rollback = RollbackWindow.fastTrack(ctx, state.stableRS());
      state = state.startUpdate(ctx.desiredHash());
      said = said.plus(Effects.normal("RolloutUpdated", "Rollout updated to revision " + ctx.desiredRevision()));
      if (rollback.isPresent()) {
        state = state.fastTrack(strategy.stepCount());
        said = said.plus(Effects.normal("RollbackWithinWindow", rollback.get()));
      } else {
        said = said.plus(strategy.announceStart());
      }
    } else if (state.currentStepHash() != null && !state.currentStepHash().equals(stepsHash)) {
      dropped = true;
      state = state.restartSteps();
      said = said.plus(Effects.normal("StepsChanged", "The steps were edited: starting them again"))
          .plus(strategy.announceStart());
    }
    state = RunVerdicts.refreshTerminated(ctx, state.followSteps(stepsHash, strategy.stepCount()));

    if (state.aborted()) {
      return abort(state, dropped, said, Optional.empty());
    }
    // where the update stands before it moves: a progress deadline passing in this plan aborts it from here
    RolloutState standing = state;
    Effects saidStanding = said;
    if (state.abortedAt() != null) {
      state = state.retry();
      said = said.plus(Effects.normal("RolloutRetried", "Retrying the update to revision " + ctx.desiredRevision()
          + " from the first step")).plus(strategy.announceStart());
    }
    if (ctx.settings().paused()) {
      return new Progress<>(state, Targets.FROZEN, dropped, said.plus(Effects.holdRuns()));
    }
    UpdateStrategy.Advance<M> advanced = strategy.advance(state);
    state = advanced.state();
    said = said.plus(advanced.effects());
    Optional<M> moved = Optional.of(advanced.moved());
    if (state.aborted()) {
      return abort(state, dropped, said, moved);
    }
    if (ctx.desiredHash().equals(state.stableRS())) {
      return new Progress<>(state, steadyTargets(), dropped, moved, said);
    }
    Progress<M> progress = new Progress<>(state, advanced.targets(), dropped, moved, said);
    if (deadlineAborts(progress)) {
      // progressDeadlineAbort: the update made no progress for progressDeadlineSeconds (known only once the strategy
      // has tried to move it), so this plan aborts it instead, from where it stood: the advance and what it said go
      Effects exceeded = Effects.warning(ProgressDeadline.EXCEEDED,
          ProgressDeadline.exceededMessage(ctx.settings().progressDeadline()));
      return abort(standing.abortedByDeadline(), dropped, exceeded.plus(saidStanding), Optional.empty());
    }
    return progress;
  }

  /**
   * spec.progressDeadlineAbort is set and the progress deadline passes in this plan: the update as
   * the strategy moved it (neither aborted nor completed) made no progress, as the status this plan
   * would write says.
   */
  private boolean deadlineAborts(Progress<M> progress) {
    return ctx.settings().progressDeadlineAbort()
        && StatusAssembler.deadlinePassesNow(ctx, ctx.observed().rollout().getStatus(), progress.state(),
            strategy.status(progress), strategy.updateCarriesNoTraffic());
  }

  /**
   * Traffic (the reported weight) goes back to stable at once and the stable scales back up (the
   * canary's AnalysisRuns are terminated); the canary keeps its pods until abortScaleDownDelaySeconds have passed (0: keeps them) and, with a
   * router, until the router reports that no traffic goes to it any more.
   */
  private Progress<M> abort(RolloutState aborted, boolean dropped, Effects earlier, Optional<M> advanced) {
    RolloutState state = RunVerdicts.refreshReferences(ctx, aborted);
    Effects said = earlier;
    boolean began = false;
    Instant abortedAt = Timestamps.tryParse(state.abortedAt()).orElse(null);
    if (abortedAt == null) {
      if (state.abortedAt() == null) {
        said = said.plus(Effects.warning(AbortCause.ABORTED, AbortCause.message(ctx, state)));
      }
      began = true;
      abortedAt = ctx.now();
      state = state.abortedSince(abortedAt);
    }
    state = state.holdAborted();

    int canaryPods = ctx.specReplicas(ctx.desiredHash());
    Duration delay = ctx.settings().abortScaleDownDelay();
    if (!delay.isZero()) {
      Instant scaleDownAt = abortedAt.plus(delay);
      if (ctx.now().isBefore(scaleDownAt)) {
        said = said.plus(Effects.wakeAt(scaleDownAt));
      } else if (strategy.updateCarriesNoTraffic()) {
        canaryPods = 0;
      }
    }
    Targets targets = new Targets(Map.of(ctx.desiredHash(), canaryPods, state.stableRS(), ctx.replicas()), false, false);
    return new Progress<>(state, targets, dropped || began, advanced, said);
  }
}

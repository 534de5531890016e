package dev.sluice.controller.plan;

import java.util.Optional;

/**
 * Where the lifecycle ({@link RolloutProgression}) left the rollout: the moved state and where each
 * ReplicaSet should go, before the strategy finishes the plan ({@link UpdateStrategy#finish}).
 *
 * @param attemptDropped an attempt at the update ended in this plan without completing (the template
 *     went back to the stable, a new template replaced it, its steps were edited, its abort began):
 *     what the attempt set up on the way (a canary's managed routes) goes
 * @param advanced the strategy's own part of its advance ({@link UpdateStrategy.Advance#moved}); empty when
 *     the lifecycle did not ask it to advance (first deploy, steady, user pause, abort)
 * @param effects what the lifecycle and the strategy said on the way, in order
 */
public record Progress<M>(RolloutState state, Targets targets, boolean attemptDropped, Optional<M> advanced,
    Effects effects) {

  /** Where the lifecycle left the rollout without asking the strategy to advance it. */
  Progress(RolloutState state, Targets targets, boolean attemptDropped, Effects effects) {
    this(state, targets, attemptDropped, Optional.empty(), effects);
  }
}

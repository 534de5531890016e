package dev.sluice.controller.plan;

/**
 * What a check the update must pass on its way (an analysis gate, a pause, the background analysis)
 * said, with the state it leaves the rollout in (a run recorded, a pause entered or left, an abort).
 *
 * @param passed the update may go on
 */
public record Passage(RolloutState state, boolean passed) {}

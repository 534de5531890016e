package dev.sluice.controller.plan;

/**
 * What a check the update must pass on its way (an analysis gate, a pause, the background analysis)
 * said, with the state it leaves the rollout in (a run recorded, a pause entered or left, an abort).
 *
 * @param passed the update may go on
 * @param effects what the check said on the way (events, runs, a wake-up time)
 */
public record Passage(RolloutState state, boolean passed, Effects effects) {

  /** A check that said nothing. */
  public Passage(RolloutState state, boolean passed) {
    this(state, passed, Effects.NONE);
  }

  /** This passage with {@code earlier} said before its own effects. */
  public Passage after(Effects earlier) {
    return new Passage(state, passed, earlier.plus(effects));
  }
}

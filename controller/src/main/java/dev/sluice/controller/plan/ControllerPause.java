package dev.sluice.controller.plan;

import dev.sluice.api.Timestamps;
import dev.sluice.api.v1alpha1.RolloutStatus.PauseCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A pause the controller puts the rollout in (a canary pause step, blue-green's pause before
 * promotion): a pause condition with its start time, left when its time is up or when the user
 * promotes (removes the condition). The start time lives in status, so a restarted controller
 * ends the pause at the same moment.
 */
public final class ControllerPause {
  private ControllerPause() {}

  /**
   * @param duration how long the pause lasts; empty: until a promote
   * @param where how events name the pause, e.g. {@code step 2/4 (pause: 30s)}
   * @return whether the pause is over, with the pause entered, held or left in the state
   */
  public static Passage over(Context ctx, RolloutState state, String reason, Optional<Duration> duration, String where) {
    Optional<PauseCondition> condition = state.pauses().find(reason);
    if (condition.isEmpty() && state.pauses().controller()) {
      // we paused here and someone removed the pause condition: that is promote
      return new Passage(state.promotedOutOfPause(), true,
          Effects.normal("RolloutPromoted", "Promoted: leaving the pause at " + where));
    }
    Effects said = Effects.NONE;
    RolloutState paused = state;
    Instant start = condition.flatMap(c -> Timestamps.tryParse(c.startTime())).orElse(null);
    if (start == null) {
      if (condition.isEmpty() && duration.isPresent()) {
        said = Effects.routine("RolloutPaused", "Paused at " + where);
      } else if (condition.isEmpty()) {
        // waits for a person: the one pause worth an Event
        said = Effects.normal("RolloutPaused", "Paused at " + where);
      }
      paused = paused.enterPause(reason, ctx.now());
      start = ctx.now();
    }
    paused = paused.stayPaused();
    if (duration.isEmpty()) {
      return new Passage(paused, false, said);
    }
    Instant end = start.plus(duration.get());
    if (ctx.now().isBefore(end)) {
      return new Passage(paused, false, said.plus(Effects.wakeAt(end)));
    }
    return new Passage(paused.leavePause(reason), true,
        said.plus(Effects.routine("PauseEnded", "Pause ended at " + where)));
  }
}

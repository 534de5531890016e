package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.api.v1alpha1.RolloutStatus.BlueGreenStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.CanaryStatus;
import dev.sluice.controller.plan.bluegreen.BlueGreenUpdate;
import dev.sluice.controller.plan.canary.CanaryUpdate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What differs between canary and blue-green. {@link RolloutPlanner} and {@link RolloutProgression}
 * do the common lifecycle (validation, first deploy, steady state, a new template, abort, retry,
 * user pause, the progress deadline, revision history, restarts, analysis-run bookkeeping,
 * conditions and phase) and ask the strategy to move a live update forward, then for a value: its
 * Service pins and traffic actions, the pods that must stay, its part of status and why it pauses
 * or waits. One instance per plan; no call changes it: what {@link #advance} found out that
 * {@link #finish} needs comes back to it in the returned value ({@link Advance#moved}, of the
 * strategy's own type {@code M}, carried in {@link Progress#advanced}).
 *
 * <p>Exactly two implementations, {@link CanaryUpdate} and {@link BlueGreenUpdate}, each in its own
 * package, chosen in {@link #of}. The interface is not {@code sealed}, on purpose: the controller
 * runs in the unnamed module, where a sealed type's permitted subclasses must share its package, so
 * sealing would mean either moving both strategies into this package (keeping them apart from the
 * lifecycle is the point of the seam) or making the controller a named module (its Jackson and
 * operator-SDK reflection would then need every package opened). {@link #of} is the one place a
 * strategy is chosen.
 */
public interface UpdateStrategy<M> {

  /** The strategy spec.strategy names (validation allows exactly one). */
  static UpdateStrategy<?> of(Context ctx) {
    return ctx.settings().blueGreen().isPresent() ? new BlueGreenUpdate(ctx) : new CanaryUpdate(ctx);
  }

  /** The first Service the strategy needs that does not exist, as a message; the rollout waits for it. */
  Optional<String> missingService();

  /** Why the traffic router's objects could not be read or written; the rollout waits for a fix. Empty without a router. */
  Optional<TrafficObservation.Problem> routeProblem();

  /** Before anything moves: what the strategy sees change by itself (a router's weight) is an event. */
  Effects announceChanges();

  /**
   * status.currentStepHash for the steps in force: it changes when they are edited, which starts
   * the update's steps over (blue-green: the hash of no steps).
   */
  String stepsHash();

  /** How many steps an update walks (0: none); status.currentStepIndex is this many once it is done. */
  int stepCount();

  /** An update starts (again) from its first step: what the strategy says about it, as an event. */
  Effects announceStart();

  /**
   * Moves a live update (a new template, not aborted, not paused by the user) as far as the
   * observed world allows. The strategy may complete the update ({@link RolloutState#complete}) or
   * abort it ({@link RolloutState#abort()}) in the state it returns; the lifecycle then decides where the
   * ReplicaSets go, and the returned targets are not used.
   */
  Advance<M> advance(RolloutState state);

  /**
   * No traffic reaches the update's pods through a router (always so without one): an aborted
   * update's pods may go, and a completed rollout is healthy.
   */
  boolean updateCarriesNoTraffic();

  /**
   * The strategy's part of status once the lifecycle has moved the rollout as {@code progress} says
   * (the same as {@link #finish} gives); the lifecycle asks it whether the update progressed.
   */
  Part status(Progress<M> progress);

  /**
   * Once the lifecycle has decided where the rollout stands and the targets: what the strategy
   * makes of them, as a value.
   */
  Finish finish(Progress<M> progress);

  /**
   * The state a strategy moved a live update to, where its pods go, and what it said on the way.
   *
   * @param moved the strategy's own part, for its {@link #finish} (the canary's walk, blue-green's switch)
   */
  record Advance<M>(RolloutState state, Targets targets, M moved, Effects effects) {}

  /**
   * @param actions the Service pins, then the traffic actions
   * @param targets the lifecycle's targets with the pods that must stay (traffic they still carry, a delayed scale-down)
   * @param status the strategy's part of status
   * @param pauseReason the reason of the pause the controller put the rollout in (not the user, not an inconclusive run)
   * @param pauseMessage why the controller paused the rollout, for the Paused condition and the message
   * @param progressingMessage what the update waits for while it progresses, for the message
   * @param pausingRuns the runs whose Inconclusive phase may hold the rollout (null: an empty slot), for the pause message
   * @param effects what the strategy said while finishing (a look again at a weight just set, a delayed scale-down)
   */
  record Finish(List<Action> actions, Targets targets, Part status, String pauseReason, String pauseMessage,
      String progressingMessage, List<AnalysisRunReference> pausingRuns, Effects effects) {}

  /**
   * @param stepHash status.currentStepHash
   * @param stepIndex status.currentStepIndex (null: the strategy has no steps)
   * @param weightIsProgress a change of the canary weights is progress (with a router; without one
   *     the pod counts already say it)
   */
  record Part(String stepHash, Integer stepIndex, CanaryStatus canary, BlueGreenStatus blueGreen, boolean weightIsProgress) {

    /** This part differs from what {@code previous} recorded in a way that counts as progress (progressDeadlineSeconds). */
    boolean movedSince(RolloutStatus previous) {
      return (weightIsProgress && !Objects.equals(previous.canary(), canary))
          || !Objects.equals(previous.blueGreen(), blueGreen);
    }
  }
}

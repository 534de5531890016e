package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.validation.RolloutValidation;
import dev.sluice.api.validation.SpecProblem;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The planner: a pure function from what the reconciler observed, and the time, to a
 * {@link Plan}. No client, no clock, no randomness: the same input always gives the same plan, and
 * planning again on the status a plan produced (with nothing else changed) gives that status back
 * and no events, so the reconciler patches status only when it differs.
 *
 * <p>One plan goes as far as the observed world allows: it may complete several steps (a
 * setWeight whose pods are already there, a setCanaryScale, an expired pause) and then orders the
 * scaling for the step it stopped at. requeueAfter is the next time-based deadline (end of a
 * pause, abort scale-down, progress deadline, restartAt, a delayed old stable's scale-down) or,
 * with a traffic router, a short look back at a weight just set or at a route object that had a
 * problem: route objects are not watched.
 *
 * <p>The lifecycle common to both strategies is here and in {@link RolloutProgression}; what differs
 * is asked of the {@link UpdateStrategy}: the canary ({@code plan.canary}) or blue-green
 * ({@code plan.bluegreen}). A plan reads straight through, once: the lifecycle moves the observed
 * {@link RolloutState} (a value; each step returns the moved one), deciding the progress deadline
 * right after the strategy's advance (with progressDeadlineAbort it aborts there), and the strategy
 * finishes the move ({@link Progress}, {@link UpdateStrategy.Finish}); then the actions and the
 * status are planned. What each step says besides the state (events, AnalysisRuns to create or
 * keep, when to look again) is an {@link Effects} value it returns; the planner adds them up in the
 * order the steps ran, which is the order of the events. Where the canary weight is decided:
 * {@code canary.CanaryWeight}; where blue-green's active Service switches:
 * {@code bluegreen.BlueGreenUpdate#advance}.
 *
 * <p>Analysis: a step's AnalysisRun gates the step ({@link AnalysisGate}), the canary's background
 * run watches the update from startingStep until promotion ({@code canary.BackgroundAnalysis});
 * blue-green's pre- and post-promotion runs gate the promotion and the completion; a Failed or
 * Error run aborts (status names the metric and why), an Inconclusive one pauses until a promote.
 * Runs are created, terminated when no longer needed and pruned to the history limits as actions
 * ({@link AnalysisRunCleanup}); a template the spec names that does not exist is reported like an
 * invalid spec and nothing moves. A run's phase change wakes the rollout through an informer.
 *
 * <p>Pod roles ({@link PodRoles}): the role labels and annotations and the anti-affinity each
 * ReplicaSet's pods carry follow the stable after this plan, on the templates and the running pods.
 *
 * <p>With a traffic router ({@code canary.TrafficPlanner}) the weight is what the router reports in place;
 * a route object that is missing or does not fit blocks the rollout with Progressing=False, the
 * router's reason (TrafficRouteNotFound, TrafficRouteMalformed, ...) and a message naming the
 * object and field, phase Degraded, until it is fixed.
 */
public final class RolloutPlanner {
  /** How soon a rollout blocked by a route object looks again (a transient failure: sooner). */
  static final Duration TRAFFIC_RECHECK = Duration.ofSeconds(5);
  static final Duration TRAFFIC_RETRY = Duration.ofSeconds(1);
  /** How soon a rollout blocked by an object it does not watch (see {@link #blocked}) looks again. */
  static final Duration BLOCKED_RECHECK = Duration.ofSeconds(10);
  /** How soon a rollout whose ReplicaSet the API server refused (e.g. a quota) looks again. */
  static final Duration REFUSAL_RECHECK = Duration.ofSeconds(30);

  /**
   * Why the planner would refuse this spec (it then touches nothing), as {@code <field>: <problem>};
   * empty when it is valid. The reconciler asks before reading route objects for it.
   */
  public static Optional<String> specProblem(RolloutSpec spec) {
    return RolloutValidation.validate(spec).stream().findFirst().map(SpecProblem::toString);
  }

  public Plan plan(Observed observed, Instant now) {
    Rollout rollout = observed.rollout();
    RolloutStatus previous = rollout.getStatus();
    Long generation = rollout.getMetadata() == null ? null : rollout.getMetadata().getGeneration();

    Optional<String> problem = specProblem(rollout.getSpec());
    if (problem.isPresent()) {
      List<RolloutEvent> warning = invalidSpecOnce(previous, problem.get());
      return blocked(BlockedStatus.invalidSpec(previous, generation, problem.get(), now), warning);
    }

    Optional<String> workloadProblem = WorkloadReference.problem(rollout.getSpec(), rollout.getMetadata().getNamespace(),
        observed.deployment());
    if (workloadProblem.isPresent()) {
      // as an invalid spec: nothing moves until the Deployment is there and fits (it wakes the rollout)
      List<RolloutEvent> warning = invalidSpecOnce(previous, workloadProblem.get());
      return blocked(BlockedStatus.invalidSpec(previous, generation, workloadProblem.get(), now), warning);
    }

    Optional<String> templateProblem = AnalysisRunSpecs.problem(rollout.getSpec(), observed.templates(),
        rollout.getMetadata().getNamespace());
    if (templateProblem.isPresent()) {
      // as an invalid spec: nothing moves until the template is there (its creation wakes the rollout)
      List<RolloutEvent> warning = invalidSpecOnce(previous, templateProblem.get());
      return blocked(BlockedStatus.invalidSpec(previous, generation, templateProblem.get(), now), warning);
    }

    Context ctx = Context.of(observed, RolloutSettings.of(rollout.getSpec()), now);
    UpdateStrategy<?> strategy = UpdateStrategy.of(ctx);
    Optional<String> missing = strategy.missingService();
    if (missing.isPresent()) {
      List<RolloutEvent> warning = warnOnce(previous, StatusConditions.PROGRESSING, BlockedStatus.SERVICE_NOT_FOUND,
          missing.get());
      return blocked(BlockedStatus.missingService(previous, generation, missing.get(), now), warning);
    }

    Optional<String> stableGone = MissingStable.problem(ctx, previous);
    if (stableGone.isPresent()) {
      List<RolloutEvent> warning = warnOnce(previous, StatusConditions.PROGRESSING, MissingStable.REASON, stableGone.get());
      return blocked(BlockedStatus.notProgressing(previous, generation, MissingStable.REASON, stableGone.get(), now), warning);
    }

    Optional<TrafficObservation.Problem> trafficProblem = strategy.routeProblem();
    if (trafficProblem.isPresent()) {
      TrafficObservation.Problem p = trafficProblem.get();
      List<RolloutEvent> warning = warnOnce(previous, StatusConditions.PROGRESSING, p.reason(), p.message());
      // route objects are not watched: look again for the fix
      Duration recheck = p.retryable() ? TRAFFIC_RETRY : TRAFFIC_RECHECK;
      return new Plan(BlockedStatus.trafficProblem(previous, generation, p, now), List.of(), warning,
          Optional.of(recheck));
    }

    return update(ctx, previous, strategy);
  }

  /**
   * The plan once the API server refused an object {@code plan} asked for: nothing else moves, and
   * the rollout says why (InvalidSpec when the object as specified can never be created, a
   * ReplicaFailure condition when the cluster refuses it for now, e.g. a quota), Degraded.
   */
  public Plan refused(Observed observed, RefusedCreate refusal, Instant now) {
    Rollout rollout = observed.rollout();
    RolloutStatus previous = rollout.getStatus();
    Long generation = rollout.getMetadata() == null ? null : rollout.getMetadata().getGeneration();
    String message = refusal.describe();
    if (refusal.invalid()) {
      List<RolloutEvent> warning = invalidSpecOnce(previous, message);
      return new Plan(BlockedStatus.invalidSpec(previous, generation, message, now), List.of(), warning, Optional.empty());
    }
    List<RolloutEvent> warning = warnOnce(previous, StatusConditions.REPLICA_FAILURE, RefusedCreate.CREATE_ERROR, message);
    // the cluster may let it through later (quota freed): look again
    return new Plan(BlockedStatus.replicaFailure(previous, generation, message, now), List.of(), warning,
        Optional.of(REFUSAL_RECHECK));
  }

  /**
   * The plan for a rollout nothing blocks: the lifecycle moves the observed state forward, asking
   * {@code strategy} (and aborting the update when the progress deadline passes in this plan with
   * progressDeadlineAbort); the strategy finishes the move; then the actions and status are
   * planned, once.
   */
  private static <M> Plan update(Context ctx, RolloutStatus previous, UpdateStrategy<M> strategy) {
    Progress<M> progress = RolloutProgression.advance(ctx, RolloutState.from(previous), strategy);
    UpdateStrategy.Finish finish = strategy.finish(progress);
    RolloutState state = progress.state();
    boolean noTraffic = strategy.updateCarriesNoTraffic();
    Observed observed = ctx.observed();
    Rollout rollout = observed.rollout();
    Targets targets = finish.targets();
    List<Action> actions = new ArrayList<>(finish.actions());
    if (!targets.frozen()) {
      RevisionHistory.restampDesired(ctx).ifPresent(actions::add);
      actions.addAll(PodRoles.createWithRole(ctx, state.stableRS(), ScalePlanner.plan(ctx, state.stableRS(), targets)));
    }
    actions.addAll(PodRoles.plan(ctx, state.stableRS()));
    PodRestarts.Restarts restarts = PodRestarts.plan(ctx, previous == null ? null : previous.restartedAt(), state.stableRS(),
        StatusAssembler.isHealthy(ctx, state, noTraffic));
    Effects said = progress.effects().plus(finish.effects()).plus(restarts.effects());
    actions.addAll(restarts.deletes());
    actions.addAll(RevisionHistory.prune(ctx, state.stableRS()));
    actions.addAll(AnalysisRunCleanup.plan(ctx, state, said));

    StatusAssembler.Assembled assembled = StatusAssembler.assemble(ctx, previous, state, restarts.restartedAt(), finish,
        noTraffic);
    WorkloadReference.scaleDown(rollout.getSpec(), observed.deployment(), assembled.status(), ctx.replicas())
        .ifPresent(actions::add);
    if (assembled.checkAt().isPresent()) {
      said = said.plus(Effects.wakeAt(assembled.checkAt().get()));
    }
    List<RolloutEvent> events = new ArrayList<>(said.events());
    events.addAll(assembled.events());
    return new Plan(assembled.status(), List.copyOf(actions), List.copyOf(events), said.requeueAfter(ctx.now()));
  }

  /**
   * The plan for a rollout something outside its spec stops (found while applying, e.g. a name
   * another owner's object has): status Degraded with Progressing=False {@code reason}, no actions,
   * a warning the first time, and a look again later (that object is not watched).
   */
  public Plan blocked(Observed observed, String reason, String message, Instant now) {
    Rollout rollout = observed.rollout();
    RolloutStatus previous = rollout.getStatus();
    List<RolloutEvent> warning = warnOnce(previous, StatusConditions.PROGRESSING, reason, message);
    Long generation = rollout.getMetadata() == null ? null : rollout.getMetadata().getGeneration();
    return new Plan(BlockedStatus.notProgressing(previous, generation, reason, message, now), List.of(),
        warning, Optional.of(BLOCKED_RECHECK));
  }

  private static Plan blocked(RolloutStatus status, List<RolloutEvent> events) {
    return new Plan(status, List.of(), events, Optional.empty());
  }

  /** A warning, unless status already reports this {@code reason} and {@code message} on {@code condition}. */
  private static List<RolloutEvent> warnOnce(RolloutStatus previous, String condition, String reason, String message) {
    return BlockedStatus.alreadyReported(previous, condition, reason, message) ? List.of()
        : Effects.warning(reason, message).events();
  }

  /** An InvalidSpec warning, unless status already reports {@code message}. */
  private static List<RolloutEvent> invalidSpecOnce(RolloutStatus previous, String message) {
    return warnOnce(previous, StatusConditions.INVALID_SPEC, StatusConditions.INVALID_SPEC, message);
  }
}

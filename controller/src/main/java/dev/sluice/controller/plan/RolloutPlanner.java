package dev.sluice.controller.plan;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutSpec;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.validation.RolloutValidation;
import dev.sluice.api.validation.SpecProblem;
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
 * ({@code plan.bluegreen}). A plan reads straight through: the lifecycle moves the observed
 * {@link RolloutState} (a value; each step returns the moved one) and the strategy finishes the
 * move ({@link Progress}, {@link UpdateStrategy.Finish}); the progress deadline is decided on that
 * move; then the actions and the status are planned once. Where the canary weight is decided:
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
    Outcome out = new Outcome();

    Optional<String> problem = specProblem(rollout.getSpec());
    if (problem.isPresent()) {
      if (!BlockedStatus.alreadyReported(previous, StatusConditions.INVALID_SPEC, StatusConditions.INVALID_SPEC, problem.get())) {
        out.warning(StatusConditions.INVALID_SPEC, problem.get());
      }
      return blocked(BlockedStatus.invalidSpec(previous, generation, problem.get(), now), out);
    }

    Optional<String> workloadProblem = WorkloadReference.problem(rollout.getSpec(), rollout.getMetadata().getNamespace(),
        observed.deployment());
    if (workloadProblem.isPresent()) {
      // as an invalid spec: nothing moves until the Deployment is there and fits (it wakes the rollout)
      if (!BlockedStatus.alreadyReported(previous, StatusConditions.INVALID_SPEC, StatusConditions.INVALID_SPEC, workloadProblem.get())) {
        out.warning(StatusConditions.INVALID_SPEC, workloadProblem.get());
      }
      return blocked(BlockedStatus.invalidSpec(previous, generation, workloadProblem.get(), now), out);
    }

    Optional<String> templateProblem = AnalysisRunSpecs.problem(rollout.getSpec(), observed.templates(),
        rollout.getMetadata().getNamespace());
    if (templateProblem.isPresent()) {
      // as an invalid spec: nothing moves until the template is there (its creation wakes the rollout)
      if (!BlockedStatus.alreadyReported(previous, StatusConditions.INVALID_SPEC, StatusConditions.INVALID_SPEC, templateProblem.get())) {
        out.warning(StatusConditions.INVALID_SPEC, templateProblem.get());
      }
      return blocked(BlockedStatus.invalidSpec(previous, generation, templateProblem.get(), now), out);
    }

    Context ctx = Context.of(observed, RolloutSettings.of(rollout.getSpec()), now);
    UpdateStrategy strategy = UpdateStrategy.of(ctx);
    Optional<String> missing = strategy.missingService();
    if (missing.isPresent()) {
      if (!BlockedStatus.alreadyReported(previous, StatusConditions.PROGRESSING, BlockedStatus.SERVICE_NOT_FOUND, missing.get())) {
        out.warning(BlockedStatus.SERVICE_NOT_FOUND, missing.get());
      }
      return blocked(BlockedStatus.missingService(previous, generation, missing.get(), now), out);
    }

    Optional<String> stableGone = MissingStable.problem(ctx, previous);
    if (stableGone.isPresent()) {
      if (!BlockedStatus.alreadyReported(previous, StatusConditions.PROGRESSING, MissingStable.REASON, stableGone.get())) {
        out.warning(MissingStable.REASON, stableGone.get());
      }
      return blocked(BlockedStatus.notProgressing(previous, generation, MissingStable.REASON, stableGone.get(), now), out);
    }

    Optional<TrafficObservation.Problem> trafficProblem = strategy.routeProblem();
    if (trafficProblem.isPresent()) {
      TrafficObservation.Problem p = trafficProblem.get();
      if (!BlockedStatus.alreadyReported(previous, StatusConditions.PROGRESSING, p.reason(), p.message())) {
        out.warning(p.reason(), p.message());
      }
      // route objects are not watched: look again for the fix
      Duration recheck = p.retryable() ? TRAFFIC_RETRY : TRAFFIC_RECHECK;
      return new Plan(BlockedStatus.trafficProblem(previous, generation, p, now), List.of(), out.events(),
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
    Outcome out = new Outcome();
    String message = refusal.describe();
    if (refusal.invalid()) {
      if (!BlockedStatus.alreadyReported(previous, StatusConditions.INVALID_SPEC, StatusConditions.INVALID_SPEC, message)) {
        out.warning(StatusConditions.INVALID_SPEC, message);
      }
      return new Plan(BlockedStatus.invalidSpec(previous, generation, message, now), List.of(), out.events(), Optional.empty());
    }
    if (!BlockedStatus.alreadyReported(previous, StatusConditions.REPLICA_FAILURE, RefusedCreate.CREATE_ERROR, message)) {
      out.warning(RefusedCreate.CREATE_ERROR, message);
    }
    // the cluster may let it through later (quota freed): look again
    return new Plan(BlockedStatus.replicaFailure(previous, generation, message, now), List.of(), out.events(),
        Optional.of(REFUSAL_RECHECK));
  }

  /** The lifecycle's move, what the strategy made of it and what was said on the way, before any action is planned. */
  private record Moved(UpdateStrategy strategy, Progress progress, UpdateStrategy.Finish finish, Outcome out) {}

  /**
   * The plan for a rollout nothing blocks: the lifecycle moves the observed state forward, asking
   * {@code strategy}; then, once it is known whether the update progressed, the progress deadline
   * is decided, and only then are the actions and status planned, once.
   */
  private static Plan update(Context ctx, RolloutStatus previous, UpdateStrategy strategy) {
    Moved moved = move(ctx, RolloutState.from(previous), strategy, new Outcome());
    if (deadlineAborts(ctx, previous, moved)) {
      // progressDeadlineAbort: the update made no progress for progressDeadlineSeconds, so this plan aborts it
      // instead of moving it (whether it progressed is only known once the lifecycle has moved it)
      Outcome aborting = new Outcome();
      aborting.warning(ProgressDeadline.EXCEEDED, ProgressDeadline.exceededMessage(ctx.settings().progressDeadline()));
      moved = move(ctx, RolloutState.from(previous).abortedByDeadline(), UpdateStrategy.of(ctx), aborting);
    }
    Outcome out = moved.out();
    RolloutState state = moved.progress().state();
    UpdateStrategy.Finish finish = moved.finish();
    boolean noTraffic = moved.strategy().updateCarriesNoTraffic();
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
        StatusAssembler.isHealthy(ctx, state, noTraffic), out);
    actions.addAll(restarts.deletes());
    actions.addAll(RevisionHistory.prune(ctx, state.stableRS()));
    actions.addAll(AnalysisRunCleanup.plan(ctx, state, out));

    StatusAssembler.Assembled assembled = StatusAssembler.assemble(ctx, previous, state, restarts.restartedAt(), finish,
        noTraffic);
    WorkloadReference.scaleDown(rollout.getSpec(), observed.deployment(), assembled.status(), ctx.replicas())
        .ifPresent(actions::add);
    assembled.checkAt().ifPresent(out::wakeAt);
    List<Plan.RolloutEvent> events = new ArrayList<>(out.events());
    events.addAll(assembled.events());
    return new Plan(assembled.status(), List.copyOf(actions), List.copyOf(events), out.requeueAfter(ctx.now()));
  }

  /** The lifecycle moves {@code state} (the strategy a live update), and the strategy finishes the move. */
  private static Moved move(Context ctx, RolloutState state, UpdateStrategy strategy, Outcome out) {
    strategy.announceChanges(out);
    Progress progress = RolloutProgression.advance(ctx, state, out, strategy);
    return new Moved(strategy, progress, strategy.finish(progress, out), out);
  }

  /** The progress deadline passes in this plan with an update under way and spec.progressDeadlineAbort set. */
  private static boolean deadlineAborts(Context ctx, RolloutStatus previous, Moved moved) {
    RolloutState state = moved.progress().state();
    return ctx.settings().progressDeadlineAbort() && !ctx.desiredHash().equals(state.stableRS()) && !state.aborted()
        && StatusAssembler.deadlinePassesNow(ctx, previous, state, moved.finish(), moved.strategy().updateCarriesNoTraffic());
  }

  /**
   * The plan for a rollout something outside its spec stops (found while applying, e.g. a name
   * another owner's object has): status Degraded with Progressing=False {@code reason}, no actions,
   * a warning the first time, and a look again later (that object is not watched).
   */
  public Plan blocked(Observed observed, String reason, String message, Instant now) {
    Rollout rollout = observed.rollout();
    RolloutStatus previous = rollout.getStatus();
    Outcome out = new Outcome();
    if (!BlockedStatus.alreadyReported(previous, StatusConditions.PROGRESSING, reason, message)) {
      out.warning(reason, message);
    }
    Long generation = rollout.getMetadata() == null ? null : rollout.getMetadata().getGeneration();
    return new Plan(BlockedStatus.notProgressing(previous, generation, reason, message, now), List.of(),
        out.events(), Optional.of(BLOCKED_RECHECK));
  }

  private static Plan blocked(RolloutStatus status, Outcome out) {
    return new Plan(status, List.of(), out.events(), Optional.empty());
  }
}

package dev.sluice.controller.plan.canary;

import dev.sluice.api.v1alpha1.CanaryStep;
import dev.sluice.api.v1alpha1.RolloutStatus.AnalysisRunReference;
import dev.sluice.api.v1alpha1.RolloutStatus.CanaryStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.TrafficWeights;
import dev.sluice.api.v1alpha1.RolloutStatus.WeightDestination;
import dev.sluice.controller.plan.Action;
import dev.sluice.controller.plan.Context;
import dev.sluice.controller.plan.Effects;
import dev.sluice.controller.plan.Passage;
import dev.sluice.controller.plan.Progress;
import dev.sluice.controller.plan.RolloutState;
import dev.sluice.controller.plan.Targets;
import dev.sluice.controller.plan.TrafficObservation;
import dev.sluice.controller.plan.UpdateStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The canary strategy: the steps ({@link StepWalker}), the background analysis
 * ({@link BackgroundAnalysis}), the split of pods between canary and stable, and with a traffic
 * router the traffic ({@link TrafficPlanner}). The canary weight is decided in one place,
 * {@link CanaryWeight}: the walk, the traffic planner and status consume it.
 */
public final class CanaryUpdate implements UpdateStrategy<CanaryUpdate.Moved> {
  public static final String PAUSE_STEP = "CanaryPauseStep";

  private final Context ctx;
  /** The router's report, when the rollout has a router. */
  private final Optional<TrafficObservation> report;
  private final CanaryTraffic traffic;
  private final CanaryWeight weight;

  /**
   * What {@link #advance} leaves for {@link #finish}.
   *
   * @param weightReached without a router, the canary's share of pods reached ({@link CanaryWeight#inStatus})
   * @param walk where the walk of the steps stopped; empty when the background analysis held the update before it
   */
  record Moved(int weightReached, Optional<StepWalker.Walk> walk) {}

  public CanaryUpdate(Context ctx) {
    this.ctx = ctx;
    this.report = ctx.settings().routed()
        ? Optional.of(ctx.observed().traffic().orElse(TrafficObservation.inPlace(Optional.empty())))
        : Optional.empty();
    this.traffic = CanaryTraffic.from(report, ctx.observed().rollout().getStatus());
    this.weight = new CanaryWeight(ctx, this.traffic);
  }

  @Override
  public Optional<String> missingService() {
    return CanaryServices.missingService(ctx);
  }

  @Override
  public Optional<TrafficObservation.Problem> routeProblem() {
    return report.flatMap(TrafficObservation::problem);
  }

  @Override
  public String stepsHash() {
    return ctx.steps().hash();
  }

  @Override
  public int stepCount() {
    return ctx.steps().size();
  }

  @Override
  public Effects announceStart() {
    return ctx.steps().size() > 0 ? Effects.routine("StepStarted", "Started " + ctx.steps().describe(0)) : Effects.NONE;
  }

  @Override
  public Advance<Moved> advance(RolloutState from) {
    int reached = weight.reachedBefore(from);
    RolloutState state = from;
    Effects said = Effects.NONE;
    if (state.promoteFull() && !ctx.steps().isDone(state.stepIndex())) {
      state = state.skipSteps(ctx.steps().size());
      said = Effects.normal("RolloutPromotedFull", "Promoted fully: skipping the remaining steps and analysis");
    }
    BackgroundAnalysis background = new BackgroundAnalysis(ctx);
    Passage analysed = background.allowsProgress(state);
    state = analysed.state();
    said = said.plus(analysed.effects());
    if (!analysed.passed()) {
      Moved held = new Moved(reached, Optional.empty());
      if (state.aborted()) {
        return new Advance<>(state, Targets.FROZEN, held, said);
      }
      return new Advance<>(state, split(state), held, said.plus(Effects.holdRuns()));
    }
    StepWalker.Walk walk = new StepWalker(ctx, weight).walk(state, reached);
    state = walk.state();
    said = said.plus(walk.effects());
    Moved walked = new Moved(walk.weightReached(), Optional.of(walk));
    if (walk.completed() || state.aborted()) {
      return new Advance<>(state, Targets.FROZEN, walked, said);
    }
    Passage running = background.ensureRunning(state, analysed.effects().runsRetired());
    return new Advance<>(running.state(), split(running.state()), walked, said.plus(running.effects()));
  }

  /** Where the pods go at the current step: the step's share (with a router: of the weight in place). */
  private Targets split(RolloutState state) {
    int index = state.stepIndex();
    if (ctx.settings().routed()) {
      RoutedSplit split = RoutedSplit.during(ctx, traffic, index);
      return Targets.of(Map.of(ctx.desiredHash(), split.canary(), state.stableRS(), split.stable()));
    }
    CanarySplit split = ctx.steps().isDone(index)
        ? new CanarySplit(ctx.replicas(), 0)
        : CanarySplit.at(ctx.settings().budget(), CanaryWeight.target(ctx, index), ctx.steps().canaryScaleAt(index));
    return Targets.of(Map.of(ctx.desiredHash(), split.canary(), state.stableRS(), split.stable()));
  }

  /** With a router: a weight change the router reports. */
  @Override
  public Effects announceChanges() {
    return ctx.settings().routed() ? weight.announceChange() : Effects.NONE;
  }

  /** With a router: once it reports no traffic on the canary; without one, always. */
  @Override
  public boolean updateCarriesNoTraffic() {
    return !ctx.settings().routed() || traffic.none();
  }

  @Override
  public Finish finish(Progress<Moved> progress) {
    RolloutState state = progress.state();
    Targets targets = progress.targets();
    Optional<StepWalker.Walk> walk = progress.advanced().flatMap(Moved::walk);
    CanaryTraffic after = traffic;
    List<Action> trafficActions = List.of();
    Effects said = Effects.NONE;
    if (ctx.settings().routed()) {
      // an attempt that ended (dropped, or completed by the walk) removes every managed route, those its steps set too
      boolean completed = walk.map(StepWalker.Walk::completed).orElse(false);
      List<CanaryStep> routeSteps = walk.isEmpty() || state.aborted() ? List.of() : walk.get().routeSteps();
      TrafficPlanner.Result routed = TrafficPlanner.plan(ctx, state, traffic, routeSteps,
          progress.attemptDropped() || completed, targets, progress.effects().replacedStable());
      trafficActions = routed.actions();
      targets = routed.targets();
      after = routed.traffic();
      said = routed.effects();
    }
    List<Action> actions = new ArrayList<>(CanaryServices.pins(ctx, state, after));
    actions.addAll(trafficActions);
    return new Finish(List.copyOf(actions), targets, status(progress), PAUSE_STEP, pauseMessage(state),
        progressingMessage(state), pausingRuns(state), said);
  }

  /** The background run, and the step's run while at an analysis step. */
  private List<AnalysisRunReference> pausingRuns(RolloutState state) {
    boolean atAnalysisStep = !ctx.steps().isDone(state.stepIndex()) && ctx.steps().get(state.stepIndex()).analysis() != null;
    return Arrays.asList(state.runs().background(), atAnalysisStep ? state.runs().step() : null);
  }

  /**
   * The canary weight as {@link CanaryWeight} decided it; with a router, on the pods the canary's
   * traffic goes to after this plan.
   */
  @Override
  public Part status(Progress<Moved> progress) {
    RolloutState state = progress.state();
    CanaryTraffic after = ctx.settings().routed()
        ? TrafficPlanner.trafficAfter(ctx, state, traffic, progress.targets().frozen()) : traffic;
    Optional<Integer> reached = progress.advanced().map(Moved::weightReached);
    int max = ctx.settings().routed() ? ctx.settings().routing().orElseThrow().maxWeight() : 100;
    String canaryHash = ctx.settings().routed() ? after.hash() : ctx.desiredHash();
    int canaryWeight = weight.inStatus(state, reached);
    CanaryStatus canary = new CanaryStatus(new TrafficWeights(
        new WeightDestination(canaryHash, ctx.settings().canaryService().orElse(null), canaryWeight),
        new WeightDestination(state.stableRS(), ctx.settings().stableService().orElse(null), max - canaryWeight)),
        state.runs().step(), state.runs().background());
    return new Part(state.currentStepHash(), ctx.steps().size() == 0 ? null : state.stepIndex(), canary, null,
        ctx.settings().routed());
  }

  private String pauseMessage(RolloutState state) {
    return state.stepIndex() < ctx.steps().size() ? "paused at " + ctx.steps().describe(state.stepIndex()) : "paused";
  }

  private String progressingMessage(RolloutState state) {
    if (state.awaitedRun() != null) {
      return "waiting for AnalysisRun \"" + state.awaitedRun() + "\" at " + ctx.steps().describe(state.stepIndex());
    }
    return ctx.steps().isDone(state.stepIndex()) ? "more replicas need to be updated" : "waiting for all steps to complete";
  }
}

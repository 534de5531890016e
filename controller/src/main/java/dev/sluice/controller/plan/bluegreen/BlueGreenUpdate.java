package dev.sluice.controller.plan.bluegreen;

import dev.sluice.api.SluiceLabels;
import dev.sluice.api.Timestamps;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.BlueGreenStatus;
import dev.sluice.controller.plan.Action;
import dev.sluice.controller.plan.AnalysisGate;
import dev.sluice.controller.plan.Context;
import dev.sluice.controller.plan.ControllerPause;
import dev.sluice.controller.plan.DelayedScaleDown;
import dev.sluice.controller.plan.Effects;
import dev.sluice.controller.plan.GatedRun;
import dev.sluice.controller.plan.Passage;
import dev.sluice.controller.plan.Progress;
import dev.sluice.controller.plan.RolloutState;
import dev.sluice.controller.plan.ServicePinning;
import dev.sluice.controller.plan.Steps;
import dev.sluice.controller.plan.Targets;
import dev.sluice.controller.plan.TrafficObservation;
import dev.sluice.controller.plan.UpdateStrategy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The blue-green strategy, with Argo Rollouts' semantics. The new ReplicaSet (the preview) comes up
 * beside the active one, which keeps all its pods, behind the preview Service; once it is fully
 * available, prePromotionAnalysis runs; then the rollout pauses (BlueGreenPause) if
 * autoPromotionEnabled is false or autoPromotionSeconds is set; once promoted the preview scales
 * to replicas and, only when all its pods are available, the active Service switches to it; then
 * postPromotionAnalysis runs and the new ReplicaSet becomes the stable, the old one keeping its pods
 * for scaleDownDelaySeconds. A failed analysis aborts: the lifecycle sends both Services back to
 * the stable, whose pods never left.
 *
 * <p>The switch of the active Service is decided in one place: {@link #advance} (Services follow it in
 * {@link #finish}). What is recorded
 * in status.blueGreen carries it across plans: {@code activeSelector} (the switch happened) and
 * {@code scaleUpPreviewCheckPoint} (the preview was promoted, so it does not pause again).
 */
public final class BlueGreenUpdate implements UpdateStrategy<BlueGreenUpdate.Moved> {
  public static final String PAUSE = "BlueGreenPause";
  private static final Steps NO_STEPS = new Steps(List.of());

  private final Context ctx;
  private final BlueGreenSettings settings;
  private final BlueGreenStatus previous;

  /**
   * What {@link #advance} leaves for {@link #finish}.
   *
   * @param promoted the preview was promoted in this plan
   * @param switched the active Service switched to the desired hash in this plan
   */
  record Moved(boolean promoted, boolean switched) {}

  private static final Moved NOT_MOVED = new Moved(false, false);

  public BlueGreenUpdate(Context ctx) {
    this.ctx = ctx;
    this.settings = ctx.settings().blueGreen().orElseThrow();
    RolloutStatus status = ctx.observed().rollout().getStatus();
    this.previous = status == null ? null : status.blueGreen();
  }

  @Override
  public Optional<String> missingService() {
    return ServicePinning.firstMissing(ctx, "spec.strategy.blueGreen.activeService", Optional.of(settings.activeService()),
        "spec.strategy.blueGreen.previewService", settings.previewService());
  }

  /** Service selectors, no router. */
  @Override
  public Optional<TrafficObservation.Problem> routeProblem() {
    return Optional.empty();
  }

  @Override
  public Effects announceChanges() {
    // Service selectors are set by this controller only: nothing changes by itself
    return Effects.NONE;
  }

  /** No steps: the hash of none (status.currentStepHash stays empty). */
  @Override
  public String stepsHash() {
    return NO_STEPS.hash();
  }

  @Override
  public int stepCount() {
    return 0;
  }

  @Override
  public Effects announceStart() {
    // no steps to start
    return Effects.NONE;
  }

  /** Service selectors, no router: the update's pods get traffic only from a Service pinned to them. */
  @Override
  public boolean updateCarriesNoTraffic() {
    return true;
  }

  /** The one place the active Service's switch is decided: promoted, all pods available, the preview Service on them. */
  @Override
  public Advance<Moved> advance(RolloutState from) {
    Effects said = runsOfThisUpdate(from);
    RolloutState state = from;
    Moved moved = NOT_MOVED;
    if (!switched(state, NOT_MOVED)) {
      if (!promoted(state, NOT_MOVED)) {
        Passage promotion = promote(state);
        state = promotion.state();
        said = said.plus(promotion.effects());
        if (!promotion.passed()) {
          return new Advance<>(state, state.aborted() ? Targets.FROZEN : pods(state, settings.previewReplicas()), moved, said);
        }
        moved = new Moved(true, false);
      }
      if (!fullyAvailable(ctx.replicas()) || !previewServiceOnDesired()) {
        return new Advance<>(state, pods(state, ctx.replicas()), moved, said);
      }
      moved = new Moved(moved.promoted(), true);
      said = said.plus(Effects.normal("ActiveServiceSwitched", "Active Service \"" + settings.activeService()
          + "\" switched to revision " + ctx.desiredRevision() + " (" + ctx.replicaSetName(ctx.desiredHash()) + ", all "
          + ctx.replicas() + " pods available)"));
    }
    if (!state.promoteFull() && settings.postPromotionAnalysis().isPresent()) {
      Passage analysed = new AnalysisGate(ctx, state).passed(GatedRun.postPromotion("post-promotion analysis of revision "
          + ctx.desiredRevision()), settings.postPromotionAnalysis().get());
      state = analysed.state();
      said = said.plus(analysed.effects());
      if (!analysed.passed()) {
        return new Advance<>(state, state.aborted() ? Targets.FROZEN : pods(state, ctx.replicas()), moved, said);
      }
    }
    Effects completion = Effects.stableReplaced(state.stableRS())
        .plus(Effects.normal("RolloutCompleted", "Rollout completed update to revision " + ctx.desiredRevision()));
    return new Advance<>(state.complete(ctx.desiredHash()), Targets.FROZEN, moved, said.plus(completion));
  }

  /**
   * The preview is fully available, its prePromotionAnalysis passed and its pause (if any) is
   * over, or the user promoted it fully: it may scale up to replicas.
   */
  private Passage promote(RolloutState from) {
    RolloutState state = from;
    Effects said = Effects.NONE;
    if (state.promoteFull()) {
      said = Effects.normal("RolloutPromotedFull", "Promoted fully: skipping the pause and analysis of revision "
          + ctx.desiredRevision());
    } else {
      if (!fullyAvailable(settings.previewReplicas())) {
        return new Passage(state, false);
      }
      String where = "the preview of revision " + ctx.desiredRevision();
      if (settings.prePromotionAnalysis().isPresent()) {
        Passage analysed = new AnalysisGate(ctx, state).passed(GatedRun.prePromotion("pre-promotion analysis of " + where),
            settings.prePromotionAnalysis().get());
        state = analysed.state();
        said = analysed.effects();
        if (!analysed.passed()) {
          return analysed;
        }
      }
      // passed while Inconclusive: the user promoted it, which promotes the preview too
      boolean promotedInconclusive = state.runs().prePromotion() != null
          && RolloutState.INCONCLUSIVE.equals(state.runs().prePromotion().status());
      if (settings.pauseBeforePromotion() && !promotedInconclusive) {
        Passage paused = ControllerPause.over(ctx, state, PAUSE, settings.autoPromotion(), where);
        state = paused.state();
        said = said.plus(paused.effects());
        if (!paused.passed()) {
          return new Passage(state, false, said);
        }
      }
    }
    return new Passage(state, true, said);
  }

  /** The preview was promoted in this update: in this plan ({@code now}), or in an earlier one (status says so). */
  private boolean promoted(RolloutState state, Moved now) {
    return now.promoted() || (!state.attemptRestarted() && previous != null && Boolean.TRUE.equals(previous.scaleUpPreviewCheckPoint()));
  }

  /** Runs of this update stay (as its record) until it ends, even once passed. */
  private static Effects runsOfThisUpdate(RolloutState state) {
    Effects used = Effects.NONE;
    if (state.runs().prePromotion() != null) {
      used = used.plus(Effects.useRun(state.runs().prePromotion().name()));
    }
    if (state.runs().postPromotion() != null) {
      used = used.plus(Effects.useRun(state.runs().postPromotion().name()));
    }
    return used;
  }

  /** The preview Service (if any) leads: it selects the new pods before the active Service does. */
  private boolean previewServiceOnDesired() {
    return settings.previewService().map(name -> ctx.desiredHash().equals(selector(name))).orElse(true);
  }

  private String selector(String service) {
    var observed = ctx.observed().services() == null ? null : ctx.observed().services().get(service);
    return observed == null || observed.selector() == null ? null : observed.selector().get(SluiceLabels.POD_TEMPLATE_HASH);
  }

  /** The hash {@code service} selects once this plan is applied: a pin waits for available pods. */
  private String selectorAfterPlan(String service, String wanted) {
    return ctx.available(wanted) > 0 ? wanted : selector(service);
  }

  private boolean fullyAvailable(int pods) {
    return ctx.specReplicas(ctx.desiredHash()) == pods && ctx.available(ctx.desiredHash()) >= pods;
  }

  /** The desired ReplicaSet at {@code desiredPods}; the stable keeps all its pods until the update completes. */
  private Targets pods(RolloutState state, int desiredPods) {
    return Targets.of(Map.of(ctx.desiredHash(), desiredPods, state.stableRS(), ctx.replicas()));
  }

  /** The active Service is on the desired hash: switched in this plan ({@code now}), or in an earlier one of this update. */
  private boolean switched(RolloutState state, Moved now) {
    return now.switched() || (!state.attemptRestarted() && previous != null && ctx.desiredHash().equals(previous.activeSelector())
        && !ctx.desiredHash().equals(state.stableRS()));
  }

  /** The active Service stays on the stable until the switch and goes back to it on abort. */
  private String activeHash(RolloutState state, Moved now) {
    return state.liveUpdate(ctx.desiredHash()) && switched(state, now) ? ctx.desiredHash() : state.stableRS();
  }

  private String previewHash(RolloutState state) {
    return state.liveUpdate(ctx.desiredHash()) ? ctx.desiredHash() : state.stableRS();
  }

  @Override
  public Finish finish(Progress<Moved> progress) {
    RolloutState state = progress.state();
    Moved now = progress.advanced().orElse(NOT_MOVED);
    Targets targets = progress.targets();
    List<Action> actions = new ArrayList<>();
    settings.previewService().flatMap(name -> ServicePinning.pin(ctx, name, previewHash(state))).ifPresent(actions::add);
    ServicePinning.pin(ctx, settings.activeService(), activeHash(state, now)).ifPresent(actions::add);
    Effects said = Effects.NONE;
    if (!targets.frozen()) {
      DelayedScaleDown.Kept kept = DelayedScaleDown.keepOldStables(ctx, state, progress.effects().replacedStable(), targets,
          settings.scaleDownDelay(), settings.scaleDownDelayRevisionLimit());
      actions.addAll(kept.actions());
      targets = kept.targets();
      said = kept.effects();
    }
    return new Finish(List.copyOf(actions), targets, status(progress), PAUSE, pauseMessage(state),
        progressingMessage(state, now),
        Arrays.asList(state.runs().prePromotion(), state.runs().postPromotion()), said);
  }

  @Override
  public Part status(Progress<Moved> progress) {
    RolloutState state = progress.state();
    Moved now = progress.advanced().orElse(NOT_MOVED);
    boolean live = state.liveUpdate(ctx.desiredHash());
    return new Part(null, null, null, new BlueGreenStatus(
        selectorAfterPlan(settings.activeService(), activeHash(state, now)),
        settings.previewService().map(name -> selectorAfterPlan(name, previewHash(state))).orElse(null),
        state.runs().prePromotion(),
        state.runs().postPromotion(),
        live && promoted(state, now) ? Boolean.TRUE : null), false);
  }

  private String pauseMessage(RolloutState state) {
    String preview = "the preview of revision " + ctx.desiredRevision() + " is ready";
    Optional<Instant> at = state.pauses().find(PAUSE)
        .flatMap(p -> Timestamps.tryParse(p.startTime()))
        .flatMap(start -> settings.autoPromotion().map(start::plus));
    return at.map(when -> preview + "; promotes itself at " + Timestamps.format(when))
        .orElse(preview + "; promote to switch the active Service to it");
  }

  private String progressingMessage(RolloutState state, Moved now) {
    if (state.awaitedRun() != null) {
      return "waiting for AnalysisRun \"" + state.awaitedRun() + "\"";
    }
    return switched(state, now) ? "the active Service is on the new revision" : "the preview is becoming available";
  }
}

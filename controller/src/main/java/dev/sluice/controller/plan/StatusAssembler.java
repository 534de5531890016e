package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.StatusConditions.AVAILABLE;
import static dev.sluice.controller.plan.StatusConditions.COMPLETED;
import static dev.sluice.controller.plan.StatusConditions.FALSE;
import static dev.sluice.controller.plan.StatusConditions.HEALTHY;
import static dev.sluice.controller.plan.StatusConditions.PAUSED;
import static dev.sluice.controller.plan.StatusConditions.PROGRESSING;
import static dev.sluice.controller.plan.StatusConditions.TRUE;
import static dev.sluice.controller.plan.StatusConditions.UNKNOWN;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import dev.sluice.controller.plan.GitOpsConditions.Verdict;
import dev.sluice.controller.plan.Observed.ObservedReplicaSet;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds the new status from the moved-forward state and the observed ReplicaSets, with the events
 * only status shows (the progress deadline passing, the user pausing or resuming).
 */
final class StatusAssembler {
  static final String PHASE_HEALTHY = "Healthy";
  static final String PHASE_PROGRESSING = "Progressing";
  static final String PHASE_PAUSED = "Paused";
  static final String PHASE_DEGRADED = "Degraded";
  static final String USER_PAUSE = "PausedByUser";
  static final String WAITING_FOR_ANALYSIS = "WaitingForAnalysis";

  /**
   * @param events to record after the plan's others
   * @param checkAt when the progress deadline passes if nothing moves
   */
  record Assembled(RolloutStatus status, List<RolloutEvent> events, Optional<Instant> checkAt) {}

  /**
   * Pod counts summed over the rollout's ReplicaSets; "updated" are the desired ReplicaSet's. A
   * ReplicaSet counts at most the pods it keeps (spec.replicas): those beyond are the ones a
   * scale-down (this plan's or an earlier one's) removes, which its controller stops counting the
   * moment it deletes them. So the status a scale-down writes already shows what the ReplicaSets'
   * own status shows a moment later, and that catching up is no second status write. A ReplicaSet
   * whose controller reports a failure (it may fail to delete pods) counts as it reports.
   */
  private record Counts(int replicas, int updated, int ready, int available) {
    static Counts of(Context ctx) {
      List<ObservedReplicaSet> all = ctx.observed().replicaSets();
      return new Counts(
          all.stream().mapToInt(rs -> kept(rs, rs.replicas())).sum(),
          ctx.replicaSet(ctx.desiredHash()).map(rs -> kept(rs, rs.replicas())).orElse(0),
          all.stream().mapToInt(rs -> kept(rs, rs.readyReplicas())).sum(),
          all.stream().mapToInt(rs -> kept(rs, rs.availableReplicas())).sum());
    }

    private static int kept(ObservedReplicaSet rs, int count) {
      return rs.replicaFailure() == null ? Math.min(count, rs.specReplicas()) : count;
    }
  }

  private final Context ctx;
  private final RolloutStatus previous;
  private final List<RolloutCondition> old;
  private final RolloutState state;
  private final String restartedAt;
  private final List<RolloutEvent> events = new ArrayList<>();
  /** Null when only the Progressing condition is asked ({@link #deadlinePassesNow}). */
  private final UpdateStrategy.Finish strategy;
  private final UpdateStrategy.Part part;
  private final Counts counts;
  private final Integer stepIndex;
  private final boolean healthy;
  private final boolean completed;
  private final boolean userPaused;
  private final boolean paused;
  private final String revision;

  private StatusAssembler(Context ctx, RolloutStatus previous, RolloutState state, String restartedAt,
      UpdateStrategy.Part part, UpdateStrategy.Finish strategy, boolean updateCarriesNoTraffic) {
    this.ctx = ctx;
    this.previous = previous;
    this.old = previous == null ? null : previous.conditions();
    this.state = state;
    this.restartedAt = restartedAt;
    this.strategy = strategy;
    this.part = part;
    this.counts = Counts.of(ctx);
    this.stepIndex = part.stepIndex();
    this.healthy = isHealthy(ctx, state, updateCarriesNoTraffic);
    this.completed = ctx.desiredHash().equals(state.stableRS());
    this.userPaused = ctx.settings().paused();
    this.paused = userPaused || state.pauses().controller();
    this.revision = "revision " + ctx.desiredRevision();
  }

  /**
   * Steady: the desired ReplicaSet is the stable one, it has all its pods available and no old pods
   * are left; the strategy says no traffic reaches the update (with a router: none on the canary).
   */
  static boolean isHealthy(Context ctx, RolloutState state, boolean updateCarriesNoTraffic) {
    return ctx.desiredHash().equals(state.stableRS()) && !state.aborted()
        && ctx.specReplicas(state.stableRS()) == ctx.replicas() && ctx.available(state.stableRS()) >= ctx.replicas()
        && ctx.others(state.stableRS()).stream().allMatch(rs -> rs.specReplicas() == 0)
        && updateCarriesNoTraffic;
  }

  /**
   * Whether the progress deadline passes in this plan: the update under way made no progress (as
   * the status this plan would write says, with the strategy's {@code part}) for progressDeadlineSeconds.
   */
  static boolean deadlinePassesNow(Context ctx, RolloutStatus previous, RolloutState state, UpdateStrategy.Part part,
      boolean updateCarriesNoTraffic) {
    return new StatusAssembler(ctx, previous, state, null, part, null, updateCarriesNoTraffic).progressing().newly();
  }

  /**
   * @param restartedAt status.restartedAt after this plan ({@link PodRestarts})
   * @param strategy what the strategy made of the plan: its part of status, its pause and what it waits for
   */
  static Assembled assemble(Context ctx, RolloutStatus previous, RolloutState state, String restartedAt,
      UpdateStrategy.Finish strategy, boolean updateCarriesNoTraffic) {
    return new StatusAssembler(ctx, previous, state, restartedAt, strategy.status(), strategy, updateCarriesNoTraffic)
        .assemble();
  }

  private Assembled assemble() {
    ProgressDeadline.Result progress = progressing();
    if (progress.newly()) {
      events.add(new RolloutEvent(RolloutEvent.Type.Warning, ProgressDeadline.EXCEEDED,
          ProgressDeadline.exceededMessage(ctx.settings().progressDeadline())));
    }
    List<RolloutCondition> conditions = StatusConditions.withManaged(old, Stream.of(
        progress.condition(), available(), pausedCondition(), completedCondition(), healthyCondition(), replicaFailure())
        .filter(Objects::nonNull).toList());
    announceUserPause();

    String phase;
    Verdict verdict;
    if (state.aborted()) {
      phase = PHASE_DEGRADED;
      verdict = Verdict.stalled(AbortCause.ABORTED, AbortCause.message(ctx, state));
    } else if (progress.exceeded()) {
      phase = PHASE_DEGRADED;
      verdict = Verdict.stalled(ProgressDeadline.EXCEEDED, progress.condition().message());
    } else if (paused) {
      phase = PHASE_PAUSED;
      verdict = Verdict.reconciling(pauseReason(), pauseMessage());
    } else if (healthy) {
      phase = PHASE_HEALTHY;
      verdict = Verdict.ready();
    } else {
      phase = PHASE_PROGRESSING;
      verdict = Verdict.reconciling(progress.condition().reason(), progressingMessage());
    }
    String message = switch (phase) {
      case PHASE_HEALTHY -> null;
      case PHASE_PROGRESSING -> verdict.message();
      default -> verdict.reason() + ": " + verdict.message();
    };

    RolloutStatus status = new RolloutStatus(
        phase,
        message,
        ctx.observed().rollout().getMetadata().getGeneration(),
        state.currentPodHash(),
        state.stableRS(),
        stepIndex,
        part.stepHash(),
        counts.replicas(),
        counts.updated(),
        counts.ready(),
        counts.available(),
        counts.replicas(),
        ctx.settings().selector(),
        state.pauses().conditions().isEmpty() ? null : state.pauses().conditions(),
        state.pauses().controller() ? Boolean.TRUE : null,
        state.aborted() ? Boolean.TRUE : null,
        state.abortedAt(),
        state.promoteFull() ? Boolean.TRUE : null,
        restartedAt,
        part.canary(),
        part.blueGreen(),
        GitOpsConditions.apply(conditions, verdict, ctx.now()));
    return new Assembled(status, List.copyOf(events), progress.checkAt());
  }

  private ProgressDeadline.Result progressing() {
    RolloutCondition before = StatusConditions.previous(old, PROGRESSING);
    String desiredName = ctx.replicaSetName(ctx.desiredHash());
    if (state.aborted()) {
      return settled(StatusConditions.next(before, PROGRESSING, FALSE, AbortCause.reason(ctx, state),
          AbortCause.message(ctx, state), ctx.now()));
    }
    if (paused) {
      return settled(StatusConditions.next(before, PROGRESSING, UNKNOWN, "RolloutPaused", "Rollout is paused", ctx.now()));
    }
    if (state.awaitedRun() != null) {
      // like a pause, an analysis takes the time it takes: the deadline starts again once it is done
      return settled(StatusConditions.next(before, PROGRESSING, TRUE, WAITING_FOR_ANALYSIS,
          "Waiting for AnalysisRun \"" + state.awaitedRun() + "\"", ctx.now()));
    }
    if (healthy) {
      return settled(StatusConditions.next(before, PROGRESSING, TRUE, "NewReplicaSetAvailable",
          "ReplicaSet \"" + desiredName + "\" has successfully progressed.", ctx.now()));
    }
    return ProgressDeadline.evaluate(before, desiredName, progressed(), ctx.settings().progressDeadline(), ctx.now());
  }

  private static ProgressDeadline.Result settled(RolloutCondition condition) {
    return new ProgressDeadline.Result(condition, false, false, Optional.empty());
  }

  /** Progress: the update moved (hashes, step) or its pods did (counts), since the last status. */
  private boolean progressed() {
    return previous == null
        || !Objects.equals(previous.currentPodHash(), state.currentPodHash())
        || !Objects.equals(previous.stableRS(), state.stableRS())
        || !Objects.equals(previous.currentStepIndex(), stepIndex)
        || !Objects.equals(previous.replicas(), counts.replicas())
        || !Objects.equals(previous.updatedReplicas(), counts.updated())
        || !Objects.equals(previous.availableReplicas(), counts.available())
        || part.movedSince(previous);
  }

  private RolloutCondition available() {
    boolean enough = counts.available() >= ctx.settings().budget().minAvailable();
    return condition(AVAILABLE, enough, "AvailableReason", "AvailableReason",
        enough ? "Rollout has minimum availability" : "Rollout does not have minimum availability");
  }

  private RolloutCondition pausedCondition() {
    return paused
        ? condition(PAUSED, true, pauseReason(), null, pauseMessage())
        : condition(PAUSED, false, null, "NotPaused", "Rollout is not paused");
  }

  private RolloutCondition completedCondition() {
    return condition(COMPLETED, completed, "RolloutCompleted", "RolloutNotCompleted",
        (completed ? "Rollout completed update to " : "Rollout is updating to ") + revision);
  }

  private RolloutCondition healthyCondition() {
    return condition(HEALTHY, healthy, "RolloutHealthy", "RolloutNotHealthy",
        healthy ? "Rollout is healthy" : "Rollout is not healthy");
  }

  /** The ReplicaSet controller's failure on one of the rollout's ReplicaSets (the newest first), as Argo moves it up. */
  private RolloutCondition replicaFailure() {
    return ctx.observed().replicaSets().stream()
        .filter(rs -> rs.replicaFailure() != null)
        .sorted(Comparator.comparing((ObservedReplicaSet rs) -> !rs.podTemplateHash().equals(ctx.desiredHash()))
            .thenComparing(Comparator.comparingLong(ObservedReplicaSet::revision).reversed()))
        .findFirst()
        .map(rs -> StatusConditions.next(StatusConditions.previous(old, StatusConditions.REPLICA_FAILURE),
            StatusConditions.REPLICA_FAILURE, TRUE, "FailedCreate", "ReplicaSet \"" + rs.name() + "\": " + rs.replicaFailure(), ctx.now()))
        .orElse(null);
  }

  private RolloutCondition condition(String type, boolean isTrue, String trueReason, String falseReason, String message) {
    return StatusConditions.next(StatusConditions.previous(old, type), type, isTrue ? TRUE : FALSE,
        isTrue ? trueReason : falseReason, message, ctx.now());
  }

  private String pauseReason() {
    if (userPaused) {
      return USER_PAUSE;
    }
    return state.pauses().has(RolloutState.INCONCLUSIVE_ANALYSIS) ? RolloutState.INCONCLUSIVE_ANALYSIS : strategy.pauseReason();
  }

  private String pauseMessage() {
    if (userPaused) {
      return "spec.paused is true";
    }
    if (state.pauses().has(RolloutState.INCONCLUSIVE_ANALYSIS)) {
      return inconclusiveRuns() + "; promote to go on";
    }
    return strategy.pauseMessage();
  }

  /** The inconclusive runs the pause is for, of those the strategy says may hold it. */
  private String inconclusiveRuns() {
    return strategy.pausingRuns().stream()
        .filter(ref -> ref != null && RolloutState.INCONCLUSIVE.equals(ref.status()))
        .map(RunVerdicts::describe)
        .collect(Collectors.joining("; "));
  }

  private void announceUserPause() {
    RolloutCondition before = StatusConditions.previous(old, PAUSED);
    boolean wasUserPaused = before != null && TRUE.equals(before.status()) && USER_PAUSE.equals(before.reason());
    if (userPaused && !wasUserPaused) {
      events.add(new RolloutEvent(RolloutEvent.Type.Normal, "RolloutPaused", "Paused by the user (spec.paused)"));
    } else if (!userPaused && wasUserPaused) {
      events.add(new RolloutEvent(RolloutEvent.Type.Normal, "RolloutResumed", "Resumed by the user (spec.paused cleared)"));
    }
  }

  private String progressingMessage() {
    String desired = ctx.desiredHash();
    // its pods, not its spec.replicas, as Argo Rollouts counts them: the message then changes when pods
    // come (a status write for the counts anyway), not when the controller scales (one more write)
    if (ctx.available(desired) < ctx.pods(desired)) {
      return "updated replicas are still becoming available";
    }
    if (!completed) {
      return strategy.progressingMessage();
    }
    if (ctx.others(state.stableRS()).stream().anyMatch(rs -> rs.specReplicas() > 0 || rs.replicas() > 0)) {
      return "old replicas are pending termination";
    }
    return "more replicas need to be updated";
  }
}

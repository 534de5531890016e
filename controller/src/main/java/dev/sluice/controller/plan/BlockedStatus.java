package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.StatusConditions.FALSE;
import static dev.sluice.controller.plan.StatusConditions.INVALID_SPEC;
import static dev.sluice.controller.plan.StatusConditions.PROGRESSING;
import static dev.sluice.controller.plan.StatusConditions.TRUE;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import dev.sluice.controller.plan.GitOpsConditions.Verdict;
import java.time.Instant;
import java.util.List;

/**
 * Status of a rollout the planner must not touch (invalid spec, missing Service, a route object
 * that is missing or does not fit, the stable ReplicaSet gone mid-update): Degraded, with a
 * condition saying why, and Stalled for kstatus (Reconciling while a transient route failure is
 * retried); every progress field is kept as it was, so fixing the cause resumes exactly where the
 * rollout stood.
 */
final class BlockedStatus {
  static final String SERVICE_NOT_FOUND = "ServiceNotFound";

  private BlockedStatus() {}

  static RolloutStatus invalidSpec(RolloutStatus previous, Long generation, String problem, Instant now) {
    List<RolloutCondition> old = previous == null ? null : previous.conditions();
    RolloutCondition invalid = StatusConditions.next(StatusConditions.previous(old, INVALID_SPEC),
        INVALID_SPEC, TRUE, INVALID_SPEC, problem, now);
    return degraded(previous, generation, problem, StatusConditions.put(old, invalid),
        Verdict.stalled(INVALID_SPEC, problem), now);
  }

  static RolloutStatus missingService(RolloutStatus previous, Long generation, String problem, Instant now) {
    return notProgressing(previous, generation, SERVICE_NOT_FOUND, problem, now);
  }

  /** Something outside the spec stops the rollout: Progressing=False with {@code reason}. */
  static RolloutStatus notProgressing(RolloutStatus previous, Long generation, String reason, String problem, Instant now) {
    List<RolloutCondition> old = previous == null ? null : StatusConditions.without(previous.conditions(), INVALID_SPEC);
    RolloutCondition progressing = StatusConditions.next(StatusConditions.previous(old, PROGRESSING),
        PROGRESSING, FALSE, reason, problem, now);
    return degraded(previous, generation, reason + ": " + problem, StatusConditions.put(old, progressing),
        Verdict.stalled(reason, problem), now);
  }

  /** A route object is missing or does not fit (or could not be written): Progressing=False with the router's reason. */
  static RolloutStatus trafficProblem(RolloutStatus previous, Long generation, TrafficObservation.Problem problem, Instant now) {
    List<RolloutCondition> old = previous == null ? null : StatusConditions.without(previous.conditions(), INVALID_SPEC);
    RolloutCondition progressing = StatusConditions.next(StatusConditions.previous(old, PROGRESSING),
        PROGRESSING, FALSE, problem.reason(), problem.message(), now);
    // a transient failure (conflict, API server unreachable) is retried, so the rollout is still going, not stalled
    Verdict verdict = problem.retryable()
        ? Verdict.reconciling(problem.reason(), problem.message())
        : Verdict.stalled(problem.reason(), problem.message());
    return degraded(previous, generation, problem.reason() + ": " + problem.message(), StatusConditions.put(old, progressing),
        verdict, now);
  }

  /** The cluster refused to create the rollout's ReplicaSet (a quota, an admission policy): ReplicaFailure=True. */
  static RolloutStatus replicaFailure(RolloutStatus previous, Long generation, String problem, Instant now) {
    List<RolloutCondition> old = previous == null ? null : StatusConditions.without(previous.conditions(), INVALID_SPEC);
    RolloutCondition failure = StatusConditions.next(StatusConditions.previous(old, StatusConditions.REPLICA_FAILURE),
        StatusConditions.REPLICA_FAILURE, TRUE, RefusedCreate.CREATE_ERROR, problem, now);
    return degraded(previous, generation, RefusedCreate.CREATE_ERROR + ": " + problem, StatusConditions.put(old, failure),
        Verdict.stalled(RefusedCreate.CREATE_ERROR, problem), now);
  }

  /** Whether {@code previous} already reported exactly this (so the event is not repeated). */
  static boolean alreadyReported(RolloutStatus previous, String type, String reason, String message) {
    return previous != null && StatusConditions.find(previous.conditions(), type)
        .filter(c -> reason.equals(c.reason()) && message.equals(c.message()))
        .isPresent();
  }

  private static RolloutStatus degraded(RolloutStatus p, Long generation, String message, List<RolloutCondition> blocked,
      Verdict verdict, Instant now) {
    List<RolloutCondition> conditions = GitOpsConditions.apply(blocked, verdict, now);
    if (p == null) {
      return new RolloutStatus(StatusAssembler.PHASE_DEGRADED, message, generation, null, null, null, null, null, null,
          null, null, null, null, null, null, null, null, null, null, null, null, conditions);
    }
    return new RolloutStatus(StatusAssembler.PHASE_DEGRADED, message, generation, p.currentPodHash(), p.stableRS(),
        p.currentStepIndex(), p.currentStepHash(), p.replicas(), p.updatedReplicas(), p.readyReplicas(),
        p.availableReplicas(), p.hpaReplicas(), p.selector(), p.pauseConditions(), p.controllerPause(), p.abort(),
        p.abortedAt(), p.promoteFull(), p.restartedAt(), p.canary(), p.blueGreen(), conditions);
  }
}

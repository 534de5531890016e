package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.StatusConditions.FALSE;
import static dev.sluice.controller.plan.StatusConditions.TRUE;

import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import java.time.Instant;
import java.util.List;

/**
 * The conditions kstatus (sigs.k8s.io/cli-utils), and so Flux and kpt, judge a Rollout by: kstatus
 * says InProgress on a True {@code Reconciling}, Failed on a True {@code Stalled}, and otherwise
 * Current only on a True {@code Ready}. So exactly one state holds at a time: Reconciling while an
 * update moves or waits in a pause (a pause is not done: the update is not yet out), Stalled when
 * the rollout cannot go on until someone acts (aborted, invalid spec, past the progress deadline,
 * a missing object it needs), Ready when Healthy. All three carry the state's reason and message.
 */
final class GitOpsConditions {
  static final String RECONCILING = "Reconciling";
  static final String STALLED = "Stalled";
  static final String READY = "Ready";

  static final String HEALTHY_REASON = "RolloutHealthy";
  static final String HEALTHY_MESSAGE = "Rollout is healthy";

  private GitOpsConditions() {}

  enum State { RECONCILING, STALLED, READY }

  /** Where the rollout stands for a GitOps tool, and why. */
  record Verdict(State state, String reason, String message) {
    static Verdict ready() {
      return new Verdict(State.READY, HEALTHY_REASON, HEALTHY_MESSAGE);
    }

    static Verdict reconciling(String reason, String message) {
      return new Verdict(State.RECONCILING, reason, message);
    }

    static Verdict stalled(String reason, String message) {
      return new Verdict(State.STALLED, reason, message);
    }
  }

  /**
   * {@code conditions} with Reconciling, Stalled and Ready set to {@code verdict}, each in the place
   * it had (appended the first time); their times move only when they change.
   */
  static List<RolloutCondition> apply(List<RolloutCondition> conditions, Verdict verdict, Instant now) {
    List<RolloutCondition> result = conditions;
    for (State state : State.values()) {
      String type = typeOf(state);
      RolloutCondition next = StatusConditions.next(StatusConditions.previous(conditions, type), type,
          verdict.state() == state ? TRUE : FALSE, verdict.reason(), verdict.message(), now);
      result = StatusConditions.put(result, next);
    }
    return result;
  }

  private static String typeOf(State state) {
    return switch (state) {
      case RECONCILING -> RECONCILING;
      case STALLED -> STALLED;
      case READY -> READY;
    };
  }
}

package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.pause;
import static dev.sluice.controller.plan.SpecBuilder.pauseUntilPromoted;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The conditions Flux and kpt read through kstatus, as a user of those tools would meet them: kstatus
 * says InProgress on Reconciling=True, Failed on Stalled=True, and otherwise Current only on
 * Ready=True, so in every state exactly one of the three is True.
 */
class GitOpsConditionsTest {
  static final String CANARY = "bbb";
  final FakeCluster c = new FakeCluster();

  static RolloutCondition condition(RolloutStatus s, String type) {
    return s.conditions().stream().filter(x -> x.type().equals(type)).findFirst().orElseThrow();
  }

  /** Reconciling, Stalled, Ready: which is True, with the reason and message all three carry. */
  static void assertState(RolloutStatus s, String trueType, String reason, String message) {
    for (String type : List.of("Reconciling", "Stalled", "Ready")) {
      RolloutCondition cond = condition(s, type);
      assertThat(cond.status()).as(type).isEqualTo(type.equals(trueType) ? "True" : "False");
      assertThat(cond.reason()).as(type + " reason").isEqualTo(reason);
      assertThat(cond.message()).as(type + " message").isEqualTo(message);
    }
  }

  void deployed() {
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
  }

  @Test
  void aHealthyRolloutIsReadyOnItsCurrentGeneration() {
    deployed();

    assertState(c.status, "Ready", "RolloutHealthy", "Rollout is healthy");
    assertThat(c.status.observedGeneration()).isEqualTo(c.generation);
  }

  @Test
  void anUpdateInProgressIsReconcilingNotReady() {
    c.spec.steps(setWeight(20), pauseUntilPromoted());
    c.readyAfter = (hash, n) -> hash.equals(CANARY) ? Duration.ofSeconds(30) : Duration.ZERO;
    deployed();
    c.newTemplate(CANARY);

    Plan updating = c.settle();

    assertThat(updating.status().phase()).isEqualTo("Progressing");
    assertState(updating.status(), "Reconciling", "ReplicaSetUpdated", "updated replicas are still becoming available");
    assertThat(updating.status().observedGeneration()).isEqualTo(2L);
  }

  @Test
  void everyKindOfPauseIsReconciling() {
    c.spec.steps(setWeight(20), pause("1h"), setWeight(40), pauseUntilPromoted());
    deployed();
    c.newTemplate(CANARY);
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Paused");
    assertState(c.status, "Reconciling", "CanaryPauseStep", "paused at step 2/4 (pause: 1h)");

    c.spec.paused = true;
    c.settle();
    assertState(c.status, "Reconciling", "PausedByUser", "spec.paused is true");
  }

  @Test
  void anAbortedRolloutIsStalledUntilRetried() {
    c.spec.steps(setWeight(20), pauseUntilPromoted());
    deployed();
    c.newTemplate(CANARY);
    c.settle();

    c.abort();
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Degraded");
    assertState(c.status, "Stalled", "RolloutAborted", "Rollout aborted update to revision 2: aborted by the user (status.abort)");

    c.retry();
    c.settle();
    assertState(c.status, "Reconciling", "CanaryPauseStep", "paused at step 2/2 (pause until promoted)");
  }

  @Test
  void noProgressPastTheDeadlineIsStalled() {
    c.spec.steps(setWeight(20), pauseUntilPromoted());
    c.spec.progressDeadlineSeconds = 60;
    deployed();
    c.crashing.add(CANARY);
    c.newTemplate(CANARY);
    c.settle();
    assertThat(condition(c.status, "Reconciling").status()).isEqualTo("True");

    c.advance(Duration.ofSeconds(60));
    c.reconcile();

    assertState(c.status, "Stalled", "ProgressDeadlineExceeded", "ReplicaSet \"web-bbb\" has timed out progressing.");
  }

  @Test
  void anInvalidSpecIsStalledOnItsNewGeneration() {
    deployed();
    c.spec.steps(setWeight(150));
    c.newTemplate(CANARY);

    c.reconcile();

    assertThat(c.status.phase()).isEqualTo("Degraded");
    assertState(c.status, "Stalled", "InvalidSpec", "spec.strategy.canary.steps[0].setWeight: must be between 0 and 100, got 150");
    assertThat(c.status.observedGeneration()).isEqualTo(2L);
  }

  @Test
  void aMissingServiceIsStalled() {
    c.spec.canaryService = "web-canary";
    c.spec.stableService = "web-stable";
    c.services.put("web-stable", Map.of("app", "web"));

    c.reconcile();

    assertThat(c.status.phase()).isEqualTo("Degraded");
    assertThat(condition(c.status, "Stalled").status()).isEqualTo("True");
    assertThat(condition(c.status, "Stalled").reason()).isEqualTo("ServiceNotFound");
  }

  @Nested
  class RouteProblems {
    void routed() {
      c.spec.gatewayApi("header-beta", "mirror-api");
      c.services.put("web-canary", Map.of("app", "web"));
      c.services.put("web-stable", Map.of("app", "web"));
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      deployed();
    }

    @Test
    void aRouteObjectThatIsMissingIsStalled() {
      routed();
      c.router.brokenRead = new TrafficObservation.Problem("TrafficRouteNotFound",
          "HTTPRoute web-route (trafficRouting.gatewayAPI) not found in namespace default", false);

      c.reconcile();

      assertState(c.status, "Stalled", "TrafficRouteNotFound",
          "HTTPRoute web-route (trafficRouting.gatewayAPI) not found in namespace default");
    }

    @Test
    void aTransientWriteFailureIsStillReconciling() {
      routed();
      c.newTemplate(CANARY);
      c.router.brokenWrite = new TrafficObservation.Problem("TrafficRouteUpdateFailed",
          "could not update HTTPRoute web-route in namespace default: etcdserver: request timed out", true);

      c.settle();

      assertThat(c.status.phase()).isEqualTo("Degraded");
      assertState(c.status, "Reconciling", "TrafficRouteUpdateFailed",
          "could not update HTTPRoute web-route in namespace default: etcdserver: request timed out");
    }
  }

  @Test
  void transitionTimesMoveOnlyWhenAConditionFlips() {
    c.spec.steps(setWeight(20), pause("1m"), setWeight(40), pauseUntilPromoted());
    deployed();
    String healthySince = condition(c.status, "Ready").lastTransitionTime();

    c.advance(Duration.ofMinutes(5));
    c.newTemplate(CANARY);
    c.settle();
    Instant updateStarted = c.now;
    assertThat(condition(c.status, "Ready").lastTransitionTime()).isNotEqualTo(healthySince).isEqualTo(updateStarted.toString());

    // through a pause, a step and a manual pause: still reconciling since the update started
    c.advance(Duration.ofMinutes(1));
    c.settle();
    assertThat(c.status.currentStepIndex()).isEqualTo(3);
    assertThat(condition(c.status, "Reconciling").lastTransitionTime()).isEqualTo(updateStarted.toString());
    assertThat(condition(c.status, "Stalled").lastTransitionTime()).isEqualTo(healthySince);

    // planning again with nothing changed gives the very same status: nothing to write
    c.advance(Duration.ofMinutes(10));
    assertThat(c.plan().status()).isEqualTo(c.status);

    c.promote();
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
    assertThat(condition(c.status, "Ready").lastTransitionTime()).isEqualTo(c.now.toString());
    assertThat(condition(c.status, "Stalled").lastTransitionTime()).isEqualTo(healthySince);
  }

  @Test
  void theExistingConditionsStayAsTheyWere() {
    deployed();

    assertThat(c.status.conditions()).extracting(RolloutCondition::type)
        .containsExactly("Progressing", "Available", "Paused", "Completed", "Healthy", "Reconciling", "Stalled", "Ready");
  }
}

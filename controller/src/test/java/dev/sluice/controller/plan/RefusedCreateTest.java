package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.pause;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the API server or the ReplicaSet controller refuses is on the rollout: a ReplicaSet whose
 * pod template the server rejects (InvalidSpec), one a quota forbids (ReplicaFailure), and the
 * ReplicaSet controller's own ReplicaFailure (pods it cannot create).
 */
class RefusedCreateTest {
  private static final String INVALID = "ReplicaSet.apps \"web-bbb\" is invalid: spec.template.spec.containers[1].name: Duplicate value: \"app\"";
  private final FakeCluster c = new FakeCluster();

  private static Optional<RolloutCondition> condition(RolloutStatus s, String type) {
    return s.conditions().stream().filter(x -> x.type().equals(type)).findFirst();
  }

  private void healthyThenUpdated() {
    c.spec.steps(setWeight(20), pause("1m"));
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
    c.newTemplate("bbb");
  }

  @Test
  void aPodTemplateTheApiServerRejectsIsInvalidSpecWithTheServersMessage() {
    healthyThenUpdated();
    c.apiServer = create -> new RefusedCreate("ReplicaSet", create.name(), 422, INVALID);

    Plan refused = c.reconcile();

    String message = "spec.template: the API server refused to create ReplicaSet \"web-bbb\": " + INVALID;
    assertThat(refused.status().phase()).isEqualTo("Degraded");
    assertThat(refused.status().message()).isEqualTo(message);
    assertThat(condition(refused.status(), "InvalidSpec")).hasValueSatisfying(cond -> {
      assertThat(cond.status()).isEqualTo("True");
      assertThat(cond.message()).isEqualTo(message);
    });
    assertThat(refused.events()).extracting(Plan.RolloutEvent::reason).containsExactly("InvalidSpec");
    assertThat(c.replicaSets).containsOnlyKeys("aaa");

    Plan again = c.reconcile();
    assertThat(again.events()).as("reported once, not in a loop").isEmpty();
    assertThat(again.status()).isEqualTo(refused.status());

    c.apiServer = create -> null;
    c.newTemplate("ccc");
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Paused");
    assertThat(condition(c.status, "InvalidSpec")).as("a fixed template clears it").isEmpty();
  }

  @Test
  void aQuotaRefusalIsAReplicaFailureAndIsLookedAtAgain() {
    healthyThenUpdated();
    String quota = "replicasets.apps \"web-bbb\" is forbidden: exceeded quota: rs-quota, requested: count/replicasets.apps=1, used: 10, limited: 10";
    c.apiServer = create -> new RefusedCreate("ReplicaSet", create.name(), 403, quota);

    Plan refused = c.reconcile();

    assertThat(refused.status().phase()).isEqualTo("Degraded");
    assertThat(refused.status().message()).endsWith(quota);
    assertThat(condition(refused.status(), "ReplicaFailure")).hasValueSatisfying(cond -> {
      assertThat(cond.status()).isEqualTo("True");
      assertThat(cond.reason()).isEqualTo("ReplicaSetCreateError");
      assertThat(cond.message()).endsWith(quota);
    });
    assertThat(condition(refused.status(), "InvalidSpec")).isEmpty();
    assertThat(refused.requeueAfter()).contains(Duration.ofSeconds(30));

    c.apiServer = create -> null;
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Paused");
    assertThat(condition(c.status, "ReplicaFailure")).isEmpty();
  }

  @Test
  void theReplicaSetControllersReplicaFailureIsMovedOntoTheRollout() {
    healthyThenUpdated();
    c.settle();
    String failure = "FailedCreate: pods \"web-bbb-x\" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=4, limited: pods=4";
    c.replicaSets.get("bbb").replicaFailure = failure;

    Plan failing = c.reconcile();

    assertThat(condition(failing.status(), "ReplicaFailure")).hasValueSatisfying(cond -> {
      assertThat(cond.status()).isEqualTo("True");
      assertThat(cond.reason()).isEqualTo("FailedCreate");
      assertThat(cond.message()).isEqualTo("ReplicaSet \"web-bbb\": " + failure);
    });

    c.replicaSets.get("bbb").replicaFailure = null;
    assertThat(condition(c.reconcile().status(), "ReplicaFailure")).isEmpty();
  }
}

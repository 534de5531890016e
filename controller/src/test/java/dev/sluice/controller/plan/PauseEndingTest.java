package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.canaryScaleReplicas;
import static dev.sluice.controller.plan.SpecBuilder.pause;
import static dev.sluice.controller.plan.SpecBuilder.pauseUntilPromoted;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.plan.Action.ScaleReplicaSet;
import dev.sluice.controller.plan.Action.SetTrafficWeight;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PauseEndingTest {
  final FakeCluster c = new FakeCluster();

  /** The planner's plan for the rollout as it stands, as the reconciler would carry it out. */
  Plan ending() {
    Observed observed = c.observe();
    return PauseEnding.statusFirst(observed, new RolloutPlanner().plan(observed, c.now), c.now);
  }

  void inTheTimedPause(int step) {
    c.settle();
    c.newTemplate("bbb");
    c.settle();
    assertThat(c.status.currentStepIndex()).isEqualTo(step);
  }

  @Test
  void aTimedPauseWhoseNextStepOnlyScalesIsLeftByItsStatusAloneAndTheScalingFollowsAtOnce() {
    c.spec.steps(setWeight(20), pause("90s"), setWeight(40), pauseUntilPromoted());
    inTheTimedPause(1);
    c.advance(Duration.ofSeconds(90));

    Plan left = ending();

    assertThat(left.status().currentStepIndex()).isEqualTo(2);
    assertThat(left.status().pauseConditions()).isNull();
    assertThat(left.actions()).isEmpty();
    assertThat(left.requeueAfter()).contains(Duration.ZERO);
    assertThat(left.events()).extracting(Plan.RolloutEvent::reason).containsExactly("PauseEnded", "StepStarted");
    assertThat(c.spec("bbb")).as("nothing scaled yet").isEqualTo(2);

    // its status written (or the controller restarted right after): the next plan scales, says nothing again
    c.status = left.status();
    Plan next = ending();
    assertThat(next.actions()).contains(new ScaleReplicaSet("web-bbb", 4));
    assertThat(next.status().currentStepIndex()).isEqualTo(2);
    assertThat(next.events()).isEmpty();
  }

  @Test
  void theReconcileThatScalesAfterThePauseWasLeftHasNoStatusOfItsOwnToWrite() {
    // bench/scale's rollout: the last pause's end scales the canary from 1 pod to 2, and only that
    c.spec.replicas(2).steps(setWeight(25), pause("5s"), setWeight(50), pause("5s"));
    inTheTimedPause(1);
    c.advance(Duration.ofSeconds(5));
    c.settle();
    assertThat(c.status.currentStepIndex()).isEqualTo(3);
    c.advance(Duration.ofSeconds(5));
    // the ReplicaSet's status shows the pods a scale asks for only later
    c.podsComeLate = true;
    Plan left = ending();
    assertThat(left.actions()).isEmpty();
    c.status = left.status();

    // the scaling reconcile scales, then plans again on the caches: new spec.replicas, the same pods
    c.apply(ending());
    assertThat(c.spec("bbb")).isEqualTo(2);
    Plan scaled = c.plan();

    assertThat(scaled.actions()).isEmpty();
    assertThat(scaled.status()).as("the status written when the pause was left").isEqualTo(left.status());
    // the pod's coming is what the status tells next, with the count
    c.readyAfter = (hash, n) -> Duration.ofSeconds(30);
    c.podsCome();
    Plan podCame = c.plan();
    assertThat(podCame.status().updatedReplicas()).isEqualTo(2);
    assertThat(podCame.status().message()).isEqualTo("updated replicas are still becoming available");
  }

  @Test
  void aTimedPauseWhoseNextStepOnlyScalesDownIsLeftByItsStatusAloneAndTheScaleDownFollows() {
    // 2 pods: the canary has 1 at 25 % and at 50 %; the stable goes from 2 to 1
    c.spec.replicas(2).steps(setWeight(25), pause("5s"), setWeight(50), pause("5s"));
    inTheTimedPause(1);
    c.advance(Duration.ofSeconds(5));

    Plan left = ending();

    assertThat(left.status().currentStepIndex()).isEqualTo(2);
    assertThat(left.status().pauseConditions()).isNull();
    assertThat(left.actions()).isEmpty();
    assertThat(left.requeueAfter()).contains(Duration.ZERO);
    assertThat(c.spec("aaa")).as("the stable not scaled down yet").isEqualTo(2);

    c.status = left.status();
    Plan next = ending();
    assertThat(next.actions()).containsExactly(new ScaleReplicaSet("web-aaa", 1));
    assertThat(next.status().currentStepIndex()).isEqualTo(2);
    assertThat(next.events()).isEmpty();
  }

  @Test
  void aPauseAPersonEndsBeforeItsTimeIsLeftWithItsScalingAsBefore() {
    c.spec.steps(setWeight(20), pause("90s"), setWeight(40), pauseUntilPromoted());
    inTheTimedPause(1);
    c.advance(Duration.ofSeconds(30));
    c.promote();

    Plan promoted = ending();

    assertThat(promoted.status().currentStepIndex()).isEqualTo(2);
    assertThat(promoted.actions()).contains(new ScaleReplicaSet("web-bbb", 4));
    assertThat(promoted.requeueAfter()).isNotEqualTo(Optional.of(Duration.ZERO));
  }

  @Test
  void aTrafficWeightIsSetBeforeTheStatusThatRecordsIt() {
    c.spec.gatewayApi("header-beta", "mirror-api");
    c.services.put("web-canary", Map.of("app", "web"));
    c.services.put("web-stable", Map.of("app", "web"));
    // the canary already has the pods for 40 %: the pause's end moves the weight, which the status records
    c.spec.steps(canaryScaleReplicas(4), setWeight(20), pause("90s"), setWeight(40), pauseUntilPromoted());
    inTheTimedPause(2);
    c.advance(Duration.ofSeconds(90));

    Plan left = ending();

    assertThat(left.status().currentStepIndex()).as("the setWeight, done once the router shows it").isEqualTo(3);
    assertThat(left.actions()).contains(new SetTrafficWeight(40, "bbb", "aaa"));
    assertThat(left.requeueAfter()).isNotEqualTo(Optional.of(Duration.ZERO));
  }
}

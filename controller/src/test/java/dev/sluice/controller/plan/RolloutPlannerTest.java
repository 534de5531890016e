package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.canaryScaleReplicas;
import static dev.sluice.controller.plan.SpecBuilder.canaryScaleWeight;
import static dev.sluice.controller.plan.SpecBuilder.matchTrafficWeight;
import static dev.sluice.controller.plan.SpecBuilder.pause;
import static dev.sluice.controller.plan.SpecBuilder.pauseUntilPromoted;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.api.v1alpha1.RolloutStatus.RolloutCondition;
import dev.sluice.controller.plan.Action.CreateReplicaSet;
import dev.sluice.controller.plan.Action.DeletePod;
import dev.sluice.controller.plan.Action.DeleteReplicaSet;
import dev.sluice.controller.plan.Action.PinServiceSelector;
import dev.sluice.controller.plan.Action.ScaleReplicaSet;
import dev.sluice.controller.plan.Action.SetRevision;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The planner driven through whole scenarios on a {@link FakeCluster}: each test reads like a user
 * session (deploy, change the image, promote, abort ...) and checks what the user would see.
 */
class RolloutPlannerTest {
  static final String STABLE = "aaa";
  static final String CANARY = "bbb";
  final FakeCluster c = new FakeCluster();

  /** The first template deployed and Healthy. */
  void deployed() {
    c.settle();
    assertThat(c.status.phase()).isEqualTo("Healthy");
  }

  /** Deployed, then the template changed to CANARY and the planner let run until it waits. */
  Plan updatedAndSettled() {
    deployed();
    c.newTemplate(CANARY);
    return c.settle();
  }

  static Optional<RolloutCondition> condition(RolloutStatus s, String type) {
    return s.conditions().stream().filter(x -> x.type().equals(type)).findFirst();
  }

  static String conditionStatus(RolloutStatus s, String type) {
    return condition(s, type).map(RolloutCondition::status).orElse(null);
  }

  static List<String> reasons(Plan p) {
    return p.events().stream().map(RolloutEvent::reason).toList();
  }

  /** Every event of every plan so far. */
  List<String> allEvents() {
    return c.history.stream().flatMap(p -> reasons(p).stream()).toList();
  }

  @Nested
  class InitialDeploy {
    @Test
    void createsTheReplicaSetAtFullScaleAndSkipsTheSteps() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());

      Plan p = c.reconcile();

      assertThat(p.actions()).containsExactly(new CreateReplicaSet("web-aaa", STABLE, 1, 10));
      assertThat(p.status().stableRS()).isEqualTo(STABLE);
      assertThat(p.status().currentPodHash()).isEqualTo(STABLE);
      assertThat(p.status().currentStepIndex()).isEqualTo(2);
      assertThat(p.status().pauseConditions()).isNull();
    }

    @Test
    void isHealthyOnlyOnceAllReplicasAreAvailable() {
      c.readyAfter = (hash, n) -> Duration.ofSeconds(n < 7 ? 5 : 20);
      c.reconcile();
      c.advance(Duration.ofSeconds(5));
      Plan partly = c.reconcile();
      assertThat(partly.status().phase()).isEqualTo("Progressing");
      assertThat(partly.status().availableReplicas()).isEqualTo(7);
      assertThat(conditionStatus(partly.status(), "Healthy")).isEqualTo("False");
      assertThat(conditionStatus(partly.status(), "Available")).isEqualTo("False");

      c.advance(Duration.ofSeconds(15));
      Plan healthy = c.reconcile();

      RolloutStatus s = healthy.status();
      assertThat(s.phase()).isEqualTo("Healthy");
      assertThat(s.message()).isNull();
      assertThat(List.of(s.replicas(), s.updatedReplicas(), s.readyReplicas(), s.availableReplicas(), s.hpaReplicas()))
          .containsOnly(10);
      assertThat(s.selector()).isEqualTo("app=web");
      assertThat(s.observedGeneration()).isEqualTo(1L);
      assertThat(s.currentStepHash()).isNotBlank();
      for (String type : List.of("Progressing", "Available", "Completed", "Healthy")) {
        assertThat(conditionStatus(s, type)).as(type).isEqualTo("True");
      }
      assertThat(conditionStatus(s, "Paused")).isEqualTo("False");
      assertThat(condition(s, "InvalidSpec")).isEmpty();
    }

    @Test
    void withoutStepsLeavesTheStepIndexOut() {
      deployed();
      assertThat(c.status.currentStepIndex()).isNull();
    }
  }

  @Nested
  class SetWeight {
    @ParameterizedTest(name = "{0} replicas, setWeight {1}, maxSurge {2}, maxUnavailable {3}: canary {4}, stable {5}")
    @CsvSource({
        "10, 20,  25%, 25%, 2,  8",
        "5,  20,  25%, 25%, 1,  4",
        "5,  50,  25%, 25%, 3,  3",
        "4,  50,  25%, 25%, 2,  2",
        "1,  20,  25%, 25%, 1,  1",
        "10, 0,   25%, 25%, 0,  10",
        "10, 100, 25%, 25%, 10, 0",
        "3,  50,  0,   1,   1,  2",
        "3,  50,  1,   0,   2,  2",
        "7,  33,  2,   0,   3,  5",
    })
    void scalesTheCanaryToItsShareOfPodsAndKeepsTheStableShare(int replicas, int weight, String surge, String unavailable,
        int canaryPods, int stablePods) {
      c.spec.replicas(replicas).steps(setWeight(weight), pauseUntilPromoted()).surge(intOrPercent(surge), intOrPercent(unavailable));
      updatedAndSettled();

      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.spec(CANARY)).isEqualTo(canaryPods);
      assertThat(c.spec(STABLE)).isEqualTo(stablePods);
      assertThat(c.canaryWeight()).isEqualTo(weight);
      assertThat(c.status.canary().weights().stable().weight()).isEqualTo(100 - weight);
      assertThat(c.status.canary().weights().canary().podTemplateHash()).isEqualTo(CANARY);
      assertThat(c.status.canary().weights().stable().podTemplateHash()).isEqualTo(STABLE);
    }

    @Test
    void theWeightRisesOnlyOnceTheCanaryPodsAreAvailable() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      deployed();
      c.readyAfter = (hash, n) -> Duration.ofSeconds(60);
      c.newTemplate(CANARY);

      Plan first = c.reconcile();
      assertThat(first.actions()).containsExactly(
          new ScaleReplicaSet("web-aaa", 8), new CreateReplicaSet("web-bbb", CANARY, 2, 2));
      assertThat(reasons(first)).containsExactly("RolloutUpdated", "StepStarted");
      assertThat(c.settle().status().canary().weights().canary().weight()).isZero();

      c.advance(Duration.ofSeconds(59));
      assertThat(c.reconcile().status().currentStepIndex()).isZero();
      assertThat(c.canaryWeight()).isZero();

      c.advance(Duration.ofSeconds(1));
      Plan reached = c.reconcile();
      assertThat(reached.status().currentStepIndex()).isEqualTo(1);
      assertThat(reached.status().canary().weights().canary().weight()).isEqualTo(20);
    }

    @Test
    void aLowerWeightIsReportedInTheSamePlanThatStartsRemovingCanaryPods() {
      c.spec.steps(setWeight(50), pauseUntilPromoted(), setWeight(20), pauseUntilPromoted());
      updatedAndSettled();
      assertThat(c.canaryWeight()).isEqualTo(50);
      assertThat(c.spec(CANARY)).isEqualTo(5);

      c.promote();
      Plan down = c.reconcile();

      // 2 of the canary's 5 available pods may go at once (maxUnavailable 25% of 10)
      assertThat(down.actions()).contains(new ScaleReplicaSet("web-bbb", 3), new ScaleReplicaSet("web-aaa", 8));
      assertThat(down.status().canary().weights().canary().weight()).isEqualTo(20);
      c.settle();
      assertThat(c.spec(CANARY)).isEqualTo(2);
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
    }

    @Test
    void everyStepIsAnnouncedOnceAndStepsThatAreAlreadyMetCompleteInTheSamePlan() {
      c.spec.replicas(1).steps(setWeight(10), setWeight(20), setWeight(30), pauseUntilPromoted());
      deployed();
      c.newTemplate(CANARY);
      c.reconcile(); // 1 replica: 10%, 20% and 30% all mean one canary pod
      Plan next = c.reconcile();

      assertThat(next.status().currentStepIndex()).isEqualTo(3);
      assertThat(next.status().canary().weights().canary().weight()).isEqualTo(30);
      assertThat(allEvents()).filteredOn("StepStarted"::equals).hasSize(4);
    }
  }

  @Nested
  class SetCanaryScale {
    @Test
    void fixesTheCanaryPodCountUntilMatchTrafficWeight() {
      c.spec.steps(canaryScaleReplicas(3), setWeight(10), pauseUntilPromoted(), matchTrafficWeight(), setWeight(20),
          pauseUntilPromoted());
      updatedAndSettled();
      // 10% of traffic, but 3 canary pods as asked; the stable keeps 9 pods for its 90%
      assertThat(c.status.currentStepIndex()).isEqualTo(2);
      assertThat(c.spec(CANARY)).isEqualTo(3);
      assertThat(c.spec(STABLE)).isEqualTo(9);
      assertThat(c.canaryWeight()).isEqualTo(10);

      c.promote();
      c.settle();

      assertThat(c.status.currentStepIndex()).isEqualTo(5);
      assertThat(c.spec(CANARY)).isEqualTo(2);
      assertThat(c.spec(STABLE)).isEqualTo(8);
      assertThat(c.canaryWeight()).isEqualTo(20);
    }

    @Test
    void aWeightOverrideScalesTheCanaryByItsOwnPercent() {
      c.spec.steps(canaryScaleWeight(30), setWeight(0), pauseUntilPromoted());
      updatedAndSettled();

      assertThat(c.spec(CANARY)).isEqualTo(3);
      assertThat(c.spec(STABLE)).isEqualTo(10);
      assertThat(c.canaryWeight()).isZero();
    }
  }

  @Nested
  class TimedPause {
    @Test
    void requeuesForExactlyTheRestOfThePauseAndEndsAtItsDeadlineNotBefore() {
      c.now = Instant.parse("2024-05-01T10:00:00.123Z");
      c.spec.steps(setWeight(20), pause("1m30s"), setWeight(40), pauseUntilPromoted());
      Plan atPause = updatedAndSettled();
      assertThat(atPause.status().currentStepIndex()).isEqualTo(1);
      assertThat(atPause.status().pauseConditions()).singleElement().satisfies(p -> {
        assertThat(p.reason()).isEqualTo("CanaryPauseStep");
        assertThat(p.startTime()).isEqualTo("2024-05-01T10:00:00.123Z");
      });
      assertThat(atPause.status().controllerPause()).isTrue();
      assertThat(atPause.status().phase()).isEqualTo("Paused");
      assertThat(atPause.requeueAfter()).contains(Duration.ofSeconds(90));

      c.advance(Duration.ofMillis(89_999));
      Plan justBefore = c.reconcile();
      assertThat(justBefore.status().currentStepIndex()).isEqualTo(1);
      assertThat(justBefore.actions()).isEmpty();
      assertThat(justBefore.requeueAfter()).contains(Duration.ofMillis(1));

      c.advance(Duration.ofMillis(1));
      Plan atDeadline = c.reconcile();
      assertThat(atDeadline.status().currentStepIndex()).isEqualTo(2);
      assertThat(atDeadline.status().pauseConditions()).isNull();
      assertThat(atDeadline.status().controllerPause()).isNull();
      assertThat(atDeadline.actions()).contains(new ScaleReplicaSet("web-bbb", 4));
      assertThat(reasons(atDeadline)).containsExactly("PauseEnded", "StepStarted");
    }

    @Test
    void aPauseStartHandEditedFarIntoTheFutureIsReadAsNoStartNotAnOverflow() {
      c.spec.steps(setWeight(20), pause("1m30s"), setWeight(40), pauseUntilPromoted());
      updatedAndSettled();
      c.editStatus(e -> e.pauseStartTime("+999999999-12-31T23:59:59Z"));

      Plan plan = c.reconcile();

      assertThat(plan.status().currentStepIndex()).isEqualTo(1);
      assertThat(plan.requeueAfter()).hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(90)));
    }

    @Test
    void aControllerThatWasDownLongerThanThePauseMovesOnAtOnce() {
      c.spec.steps(setWeight(20), pause("30s"), setWeight(40), pauseUntilPromoted());
      updatedAndSettled();

      c.advance(Duration.ofHours(3));
      Plan late = c.reconcile();

      assertThat(late.status().currentStepIndex()).isEqualTo(2);
    }

    @Test
    void integerSecondsAreAPauseDurationToo() {
      c.spec.steps(setWeight(20), new dev.sluice.api.v1alpha1.CanaryStep(null,
          new dev.sluice.api.v1alpha1.CanaryStep.Pause(new io.fabric8.kubernetes.api.model.IntOrString(45)), null, null, null, null));
      assertThat(updatedAndSettled().requeueAfter()).contains(Duration.ofSeconds(45));
    }
  }

  @Nested
  class Events {
    /** Reason of each event of every plan so far that becomes a Kubernetes Event (not routine). */
    List<String> recorded() {
      return c.history.stream().flatMap(p -> p.events().stream()).filter(e -> !e.routine()).map(RolloutEvent::reason).toList();
    }

    @Test
    void onlyTransitionsAPersonActsOnAreRecordedTheStepsAndTimedPausesAreRoutine() {
      c.spec.steps(setWeight(25), pause("5s"), setWeight(50), pauseUntilPromoted());
      updatedAndSettled();
      c.advance(Duration.ofSeconds(5));
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      c.promote();
      c.settle();
      assertThat(c.status.phase()).isEqualTo("Healthy");

      // every transition is still planned (and so logged and told to notifications) ...
      assertThat(allEvents()).containsSubsequence("RolloutUpdated", "StepStarted", "RolloutPaused", "PauseEnded",
          "StepStarted", "StepStarted", "RolloutPaused", "RolloutPromoted", "RolloutCompleted");
      // ... but the timed pause, the steps and the pause's end are no Kubernetes Events: the pause a person
      // must promote is
      assertThat(recorded()).containsExactly("RolloutDeployed", "RolloutUpdated", "RolloutPaused", "RolloutPromoted",
          "RolloutCompleted");
    }
  }

  @Nested
  class IndefinitePause {
    @Test
    void waitsWithoutRequeueUntilThePauseConditionIsCleared() {
      c.spec.steps(setWeight(20), pauseUntilPromoted(), setWeight(50), pauseUntilPromoted());
      Plan waiting = updatedAndSettled();
      assertThat(waiting.status().currentStepIndex()).isEqualTo(1);
      assertThat(waiting.requeueAfter()).isEmpty();
      assertThat(conditionStatus(waiting.status(), "Paused")).isEqualTo("True");
      assertThat(condition(waiting.status(), "Paused").orElseThrow().reason()).isEqualTo("CanaryPauseStep");
      assertThat(allEvents()).filteredOn("RolloutPaused"::equals).hasSize(1);

      c.advance(Duration.ofDays(2));
      assertThat(c.reconcile().status().currentStepIndex()).isEqualTo(1);

      // what `kubectl patch ... {"status":{"pauseConditions":null}}` does
      c.promote();
      Plan promoted = c.reconcile();
      assertThat(reasons(promoted)).containsExactly("RolloutPromoted", "StepStarted");
      assertThat(promoted.status().currentStepIndex()).isEqualTo(2);
      assertThat(promoted.status().controllerPause()).isNull();
      assertThat(promoted.actions()).contains(new ScaleReplicaSet("web-bbb", 5));

      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(c.canaryWeight()).isEqualTo(50);
    }

    @Test
    void promotingTheLastPauseCompletesTheRollout() {
      c.spec.steps(setWeight(50), pauseUntilPromoted());
      updatedAndSettled();

      c.promote();
      c.settle();

      assertThat(c.status.phase()).isEqualTo("Healthy");
      assertThat(c.status.stableRS()).isEqualTo(CANARY);
      assertThat(c.status.currentStepIndex()).isEqualTo(2);
      assertThat(c.spec(CANARY)).isEqualTo(10);
      assertThat(c.spec(STABLE)).isZero();
      assertThat(c.status.canary().weights().canary().weight()).isZero();
      assertThat(c.status.canary().weights().stable().weight()).isEqualTo(100);
      assertThat(c.status.canary().weights().stable().podTemplateHash()).isEqualTo(CANARY);
      assertThat(allEvents()).containsOnlyOnce("RolloutCompleted");
    }
  }

  @Nested
  class PromoteFull {
    @Test
    void skipsTheRemainingStepsAndKeepsTheReachedWeightUntilComplete() {
      c.spec.steps(setWeight(20), pauseUntilPromoted(), setWeight(60), pauseUntilPromoted());
      updatedAndSettled();
      c.readyAfter = (hash, n) -> Duration.ofSeconds(10);

      c.promoteFull();
      Plan first = c.reconcile();

      assertThat(reasons(first)).containsExactly("RolloutPromotedFull");
      assertThat(first.status().currentStepIndex()).isEqualTo(4);
      assertThat(first.status().pauseConditions()).isNull();
      assertThat(first.status().canary().weights().canary().weight()).isEqualTo(20);
      assertThat(first.status().promoteFull()).isTrue();

      for (int i = 0; i < 10; i++) {
        c.advance(Duration.ofSeconds(10));
        c.reconcile();
        if (CANARY.equals(c.status.stableRS())) {
          break;
        }
        assertThat(c.canaryWeight()).isEqualTo(20);
      }
      c.settle();
      assertThat(c.status.stableRS()).isEqualTo(CANARY);
      assertThat(c.status.promoteFull()).isNull();
      assertThat(c.spec(STABLE)).isZero();
      assertThat(c.status.phase()).isEqualTo("Healthy");
    }
  }

  @Nested
  class StableReplicaSetGoneMidUpdate {
    /** Paused at the 1h pause after setWeight 20 (canary 1 pod, stable 4), then the stable ReplicaSet disappears. */
    void stableGoneAtTheTimedPause() {
      c.spec.replicas(5).steps(setWeight(20), pause("1h"), setWeight(60), pauseUntilPromoted());
      updatedAndSettled();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.spec(CANARY)).isEqualTo(1);
      c.replicaSets.remove(STABLE);
    }

    @Test
    void isNotAFirstDeploy_nothingMovesAndStatusSaysWhatToDo() {
      stableGoneAtTheTimedPause();

      Plan p = c.reconcile();

      assertThat(p.actions()).as("no scaling, no new ReplicaSet").isEmpty();
      assertThat(p.status().stableRS()).isEqualTo(STABLE);
      assertThat(p.status().currentStepIndex()).isEqualTo(1);
      assertThat(p.status().phase()).isEqualTo("Degraded");
      RolloutCondition progressing = condition(p.status(), "Progressing").orElseThrow();
      assertThat(progressing.status()).isEqualTo("False");
      assertThat(progressing.reason()).isEqualTo("StableReplicaSetNotFound");
      assertThat(progressing.message()).startsWith("stable ReplicaSet \"web-aaa\" (pod-template-hash aaa) is gone mid-update")
          .contains("promote --full");
      assertThat(reasons(p)).containsExactly("StableReplicaSetNotFound");

      c.advance(Duration.ofHours(2));
      Plan later = c.reconcile();
      assertThat(later.actions()).isEmpty();
      assertThat(later.events()).as("reported once").isEmpty();
      assertThat(later.status()).isEqualTo(p.status());
      assertThat(c.spec(CANARY)).isEqualTo(1);
      assertThat(c.status.stableRS()).isEqualTo(STABLE);
    }

    @Test
    void aPromoteDoesNotSkipTheStepsWhileTheStableIsGone() {
      stableGoneAtTheTimedPause();
      c.reconcile();

      c.promote();
      c.advance(Duration.ofHours(2));
      c.settle();

      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.status.stableRS()).isEqualTo(STABLE);
      assertThat(c.spec(CANARY)).isEqualTo(1);
    }

    @Test
    void resumesWhereItStoodWhenTheStableComesBack() {
      c.spec.replicas(5).steps(setWeight(20), pause("1h"), setWeight(60), pauseUntilPromoted());
      updatedAndSettled();
      FakeCluster.FakeReplicaSet stable = c.replicaSets.remove(STABLE);
      c.advance(Duration.ofMinutes(10));
      c.reconcile();

      c.replicaSets.put(STABLE, stable);
      Plan back = c.reconcile();

      assertThat(back.status().phase()).isEqualTo("Paused");
      assertThat(back.status().currentStepIndex()).isEqualTo(1);
      assertThat(conditionStatus(back.status(), "Progressing")).isNotEqualTo("False");
      c.advance(Duration.ofMinutes(49));
      c.settle();
      assertThat(c.status.currentStepIndex()).as("the pause still counts from its start").isEqualTo(1);
      c.advance(Duration.ofMinutes(1));
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(c.spec(CANARY)).isEqualTo(3);
    }

    @Test
    void theTemplateSetBackToTheStableRecreatesTheStableReplicaSet() {
      stableGoneAtTheTimedPause();
      c.reconcile();

      c.newTemplate(STABLE);
      c.settle();

      assertThat(c.status.phase()).isEqualTo("Healthy");
      assertThat(c.spec(STABLE)).isEqualTo(5);
      assertThat(c.spec(CANARY)).isZero();
      assertThat(conditionStatus(c.status, "Progressing")).isEqualTo("True");
    }

    @Test
    void promoteFullIsThePersonsChoiceToMakeTheCanaryTheStable() {
      stableGoneAtTheTimedPause();
      c.reconcile();

      c.promoteFull();
      c.settle();

      assertThat(c.status.stableRS()).isEqualTo(CANARY);
      assertThat(c.spec(CANARY)).isEqualTo(5);
      assertThat(c.status.phase()).isEqualTo("Healthy");
    }
  }

  @Nested
  class Abort {
    void abortAtSecondPause() {
      c.spec.replicas(4).steps(setWeight(20), pause("1m"), setWeight(50), pauseUntilPromoted());
      updatedAndSettled();
      c.advance(Duration.ofMinutes(1));
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
      assertThat(c.spec(CANARY)).isEqualTo(2);
      assertThat(c.spec(STABLE)).isEqualTo(2);
    }

    @Test
    void sendsTheWeightBackToStableFirstWhileTheCanaryKeepsItsPods() {
      abortAtSecondPause();

      c.abort();
      Plan aborted = c.reconcile();

      RolloutStatus s = aborted.status();
      assertThat(s.canary().weights().canary().weight()).isZero();
      assertThat(s.canary().weights().stable().weight()).isEqualTo(100);
      assertThat(s.abort()).isTrue();
      assertThat(s.abortedAt()).isEqualTo(c.now.toString());
      assertThat(s.phase()).isEqualTo("Degraded");
      assertThat(s.message()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2: aborted by the user (status.abort)");
      assertThat(condition(s, "Progressing")).hasValueSatisfying(p -> {
        assertThat(p.status()).isEqualTo("False");
        assertThat(p.reason()).isEqualTo("RolloutAborted");
        assertThat(p.message()).isEqualTo("Rollout aborted update to revision 2: aborted by the user (status.abort)");
      });
      assertThat(aborted.events()).extracting(RolloutEvent::message)
          .containsExactly("Rollout aborted update to revision 2: aborted by the user (status.abort)");
      assertThat(s.pauseConditions()).isNull();
      assertThat(s.currentStepIndex()).isZero();
      assertThat(reasons(aborted)).containsExactly("RolloutAborted");
      // the stable grows back within maxSurge (4 + 1), the canary keeps its 2 pods
      assertThat(aborted.actions()).containsExactly(new ScaleReplicaSet("web-aaa", 3));
      assertThat(aborted.requeueAfter()).contains(Duration.ofSeconds(30));
    }

    @Test
    void scalesTheCanaryDownOnlyAfterAbortScaleDownDelaySeconds() {
      abortAtSecondPause();
      c.abort();
      c.settle();
      assertThat(c.spec(CANARY)).isEqualTo(2);

      c.advance(Duration.ofMillis(29_999));
      assertThat(c.settle().actions()).isEmpty();
      assertThat(c.spec(CANARY)).isEqualTo(2);

      c.advance(Duration.ofMillis(1));
      Plan scaledDown = c.reconcile();
      assertThat(scaledDown.actions()).contains(new ScaleReplicaSet("web-bbb", 0));
      assertThat(scaledDown.status().canary().weights().canary().weight()).isZero();
      c.settle();
      assertThat(c.spec(STABLE)).isEqualTo(4);
      assertThat(c.status.phase()).isEqualTo("Degraded");
      assertThat(allEvents()).containsOnlyOnce("RolloutAborted");
    }

    @Test
    void aZeroDelayKeepsTheCanaryPodsForever() {
      c.spec.abortScaleDownDelaySeconds = 0;
      abortAtSecondPause();
      c.abort();
      Plan aborted = c.settle();
      assertThat(aborted.requeueAfter()).isEmpty();

      c.advance(Duration.ofDays(1));
      c.settle();

      assertThat(c.spec(CANARY)).isEqualTo(2);
      assertThat(c.canaryWeight()).isZero();
    }

    @Test
    void retryStartsTheStepsAgainFromTheFirst() {
      abortAtSecondPause();
      c.abort();
      c.settle();
      c.advance(Duration.ofSeconds(30));
      c.settle();
      assertThat(c.spec(CANARY)).isZero();

      c.retry();
      Plan retried = c.reconcile();

      assertThat(reasons(retried)).containsExactly("RolloutRetried", "StepStarted");
      assertThat(retried.status().abortedAt()).isNull();
      assertThat(retried.status().abort()).isNull();
      assertThat(retried.status().currentStepIndex()).isZero();
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.spec(CANARY)).isEqualTo(1);
      assertThat(c.canaryWeight()).isEqualTo(20);
      assertThat(c.status.phase()).isEqualTo("Paused");
    }
  }

  @Nested
  class UserPause {
    @Test
    void specPausedFreezesStepsAndScalingAndResumeContinues() {
      c.spec.steps(setWeight(20), pause("30s"), setWeight(50), pauseUntilPromoted());
      updatedAndSettled();
      c.spec.paused = true;

      Plan paused = c.reconcile();
      assertThat(reasons(paused)).containsExactly("RolloutPaused");
      assertThat(paused.status().phase()).isEqualTo("Paused");
      assertThat(paused.status().message()).isEqualTo("PausedByUser: spec.paused is true");
      assertThat(condition(paused.status(), "Paused").orElseThrow().reason()).isEqualTo("PausedByUser");
      assertThat(condition(paused.status(), "Progressing").orElseThrow().reason()).isEqualTo("RolloutPaused");

      c.advance(Duration.ofMinutes(30));
      Plan stillPaused = c.reconcile();
      assertThat(stillPaused.actions()).isEmpty();
      assertThat(stillPaused.status().currentStepIndex()).isEqualTo(1);

      assertThat(stillPaused.events()).isEmpty();

      c.spec.paused = false;
      Plan resumed = c.reconcile();
      assertThat(reasons(resumed)).containsExactly("PauseEnded", "StepStarted", "RolloutResumed");
      assertThat(resumed.status().currentStepIndex()).isEqualTo(2);
      assertThat(resumed.actions()).isNotEmpty();
    }

    @Test
    void aNewTemplateWhilePausedCreatesNothingUntilResumed() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      deployed();
      c.spec.paused = true;
      c.newTemplate(CANARY);

      Plan p = c.reconcile();

      assertThat(p.actions()).isEmpty();
      assertThat(p.status().currentPodHash()).isEqualTo(CANARY);
      assertThat(p.status().phase()).isEqualTo("Paused");
      c.spec.paused = null;
      assertThat(c.reconcile().actions()).contains(new CreateReplicaSet("web-bbb", CANARY, 2, 2));
    }
  }

  @Nested
  class Restart {
    @Test
    void waitsForRestartAtThenReplacesPodsOneAtATimeWhileAllAreAvailable() {
      c.spec.replicas(3);
      deployed();
      Instant restartAt = c.now.plus(Duration.ofMinutes(10));
      c.spec.restartAt = restartAt.toString();
      c.readyAfter = (hash, n) -> Duration.ofSeconds(5);

      Plan early = c.reconcile();
      assertThat(early.actions()).isEmpty();
      assertThat(early.requeueAfter()).contains(Duration.ofMinutes(10));

      c.advance(Duration.ofMinutes(10));
      List<String> deleted = new java.util.ArrayList<>();
      for (int i = 0; i < 30 && !restartAt.toString().equals(c.status.restartedAt()); i++) {
        Plan p = c.reconcile();
        List<Action> deletions = p.actions().stream().filter(a -> a instanceof DeletePod).toList();
        assertThat(deletions).hasSizeLessThanOrEqualTo(1);
        if (!deletions.isEmpty()) {
          assertThat(p.status().availableReplicas()).as("deletes only while all pods are available").isEqualTo(3);
          deleted.add(((DeletePod) deletions.get(0)).name());
        }
        c.advance(Duration.ofSeconds(5));
      }

      assertThat(deleted).containsExactly("web-aaa-p0", "web-aaa-p1", "web-aaa-p2");
      assertThat(c.status.restartedAt()).isEqualTo(restartAt.toString());
      assertThat(allEvents()).containsOnlyOnce("RolloutRestarted");
      assertThat(c.settle().actions()).isEmpty();
    }
  }

  @Nested
  class Rollback {
    @Test
    void undoReusesTheOldReplicaSetAndMakesItTheNewestRevision() {
      c.spec.steps(setWeight(50), pauseUntilPromoted());
      updatedAndSettled();
      c.promote();
      c.settle();
      assertThat(c.status.stableRS()).isEqualTo(CANARY);
      assertThat(c.spec(STABLE)).isZero();

      c.newTemplate(STABLE); // kubectl sluice undo: the template of revision 1 again
      Plan undo = c.reconcile();

      assertThat(undo.actions()).noneMatch(a -> a instanceof CreateReplicaSet);
      assertThat(undo.actions()).contains(new SetRevision("web-aaa", 3), new ScaleReplicaSet("web-aaa", 5));
      assertThat(undo.actions().indexOf(new SetRevision("web-aaa", 3))).isZero();
      assertThat(undo.status().currentStepIndex()).isZero();
      assertThat(reasons(undo)).contains("RolloutUpdated");
      assertThat(undo.events().get(0).message()).isEqualTo("Rollout updated to revision 3");
      c.settle();
      assertThat(c.replicaSets.get(STABLE).revision).isEqualTo(3);
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.settle().actions()).isEmpty();
    }
  }

  @Nested
  class RollbackWithinWindow {
    /** Revisions 1 (aaa), 2 (bbb), 3 (ccc), each promoted through its steps; ccc is the stable. */
    private void threeRevisions() {
      c.spec.steps(setWeight(50), pauseUntilPromoted());
      updatedAndSettled();
      c.promote();
      c.settle();
      c.newTemplate("ccc");
      c.settle();
      c.promote();
      c.settle();
      assertThat(c.status.stableRS()).isEqualTo("ccc");
      assertThat(c.replicaSets.get("ccc").revision).isEqualTo(3);
    }

    @Test
    void goingBackToARevisionInsideTheWindowSkipsEveryStepAndPause() {
      threeRevisions();
      c.spec.rollbackWindow = 2;

      c.newTemplate(CANARY); // revision 2: one back
      Plan rollback = c.reconcile();

      assertThat(reasons(rollback)).containsExactly("RolloutUpdated", "RollbackWithinWindow");
      assertThat(rollback.events().get(1).message()).isEqualTo("Rolling back to the template of revision 2, 1 revision "
          + "back, within rollbackWindow (2 revisions): skipping every step and analysis");
      assertThat(rollback.status().promoteFull()).isTrue();
      assertThat(rollback.status().currentStepIndex()).isEqualTo(2);
      int historyBefore = c.history.size();
      Plan done = c.settle();

      assertThat(c.status.stableRS()).isEqualTo(CANARY);
      assertThat(c.status.promoteFull()).as("cleared once the rollback completed").isNull();
      assertThat(c.spec(CANARY)).isEqualTo(10);
      assertThat(c.spec("ccc")).isZero();
      assertThat(c.history.subList(historyBefore, c.history.size()))
          .as("never paused on the way").allSatisfy(p -> assertThat(p.status().pauseConditions()).isNull());
      assertThat(done.status().phase()).isEqualTo("Healthy");
    }

    @Test
    void goingBackFurtherThanTheWindowGoesThroughTheSteps() {
      threeRevisions();
      c.spec.rollbackWindow = 2;

      c.newTemplate(STABLE); // revision 1: two back, outside a window of 2
      Plan rollback = c.reconcile();

      assertThat(reasons(rollback)).containsExactly("RolloutUpdated", "StepStarted");
      assertThat(rollback.status().promoteFull()).isNull();
      assertThat(rollback.status().currentStepIndex()).isZero();
      c.settle();
      assertThat(c.status.stableRS()).isEqualTo("ccc");
      assertThat(c.status.pauseConditions()).extracting(p -> p.reason()).containsExactly("CanaryPauseStep");
    }

    @Test
    void theFastTrackHoldsOnceTheOldReplicaSetIsTheNewestRevision() {
      threeRevisions();
      c.spec.rollbackWindow = 3;
      c.newTemplate(STABLE); // two back, inside a window of 3
      int historyBefore = c.history.size();
      c.reconcile();
      // every later plan starts from status alone (as after a restart), and the old ReplicaSet is
      // now the newest revision: recomputing the window would say "not a rollback"
      assertThat(c.replicaSets.get(STABLE).revision).isEqualTo(4);

      c.settle();

      assertThat(c.status.stableRS()).isEqualTo(STABLE);
      assertThat(c.history.subList(historyBefore, c.history.size()).stream().flatMap(p -> reasons(p).stream()))
          .doesNotContain("RolloutPaused", "StepStarted");
    }

    @Test
    void aNewRevisionIsNotARollback() {
      threeRevisions();
      c.spec.rollbackWindow = 5;

      c.newTemplate("ddd");
      Plan update = c.reconcile();

      assertThat(reasons(update)).containsExactly("RolloutUpdated", "StepStarted");
      assertThat(update.status().promoteFull()).isNull();
    }
  }

  @Nested
  class TemplateChangesMidUpdate {
    @Test
    void aNewTemplateRestartsTheStepsAndRetiresTheOldCanary() {
      c.spec.steps(setWeight(30), pauseUntilPromoted());
      updatedAndSettled();
      assertThat(c.spec(CANARY)).isEqualTo(3);

      c.newTemplate("ccc");
      Plan p = c.reconcile();

      assertThat(p.status().currentPodHash()).isEqualTo("ccc");
      assertThat(p.status().currentStepIndex()).isZero();
      assertThat(p.status().pauseConditions()).isNull();
      assertThat(p.status().canary().weights().canary()).satisfies(w -> {
        assertThat(w.podTemplateHash()).isEqualTo("ccc");
        assertThat(w.weight()).isZero();
      });
      // the old canary's pods are available: they go as fast as maxUnavailable allows
      assertThat(p.actions()).contains(new ScaleReplicaSet("web-bbb", 1));
      assertThat(reasons(p)).containsExactly("RolloutUpdated", "StepStarted");
      c.settle();
      assertThat(c.spec("ccc")).isEqualTo(3);
      assertThat(c.spec(CANARY)).isZero();
      assertThat(c.spec(STABLE)).isEqualTo(7);
      assertThat(c.replicaSets.get("ccc").revision).isEqualTo(3);
    }

    @Test
    void goingBackToTheStableTemplateDropsTheCanaryAtOnceWithoutSteps() {
      c.spec.steps(setWeight(30), pauseUntilPromoted(), setWeight(60), pauseUntilPromoted());
      updatedAndSettled();
      c.abort();
      c.reconcile();

      c.newTemplate(STABLE);
      Plan back = c.reconcile();

      assertThat(back.status().canary().weights().canary().weight()).isZero();
      assertThat(back.actions()).contains(new ScaleReplicaSet("web-bbb", 0));
      assertThat(back.status().currentStepIndex()).isEqualTo(4);
      assertThat(back.status().abort()).isNull();
      assertThat(back.status().abortedAt()).isNull();
      assertThat(reasons(back)).containsExactly("RolledBackToStable");
      c.settle();
      assertThat(c.status.phase()).isEqualTo("Healthy");
      assertThat(c.spec(STABLE)).isEqualTo(10);
      assertThat(c.spec(CANARY)).isZero();
    }

    @Test
    void changingReplicasRecomputesTheSplitWithoutRestartingTheSteps() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      updatedAndSettled();
      assertThat(c.spec(CANARY)).isEqualTo(2);

      c.spec.replicas(20);
      c.settle();

      assertThat(c.spec(CANARY)).isEqualTo(4);
      assertThat(c.spec(STABLE)).isEqualTo(16);
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(allEvents()).containsOnlyOnce("RolloutUpdated");
    }

    @Test
    void editingTheStepsStartsThemAgain() {
      c.spec.steps(setWeight(20), pauseUntilPromoted(), setWeight(50), pauseUntilPromoted());
      updatedAndSettled();
      c.promote();
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(3);

      c.spec.steps(setWeight(10), pauseUntilPromoted(), setWeight(50), pauseUntilPromoted());
      Plan edited = c.reconcile();

      assertThat(reasons(edited)).containsExactly("StepsChanged", "StepStarted");
      assertThat(edited.status().currentStepIndex()).isZero();
      assertThat(edited.status().canary().weights().canary().weight()).isLessThanOrEqualTo(10);
      c.settle();
      assertThat(c.status.currentStepIndex()).isEqualTo(1);
      assertThat(c.spec(CANARY)).isEqualTo(1);
      assertThat(c.canaryWeight()).isEqualTo(10);
    }
  }

  @Nested
  class ProgressDeadline {
    void crashingUpdate() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      c.spec.progressDeadlineSeconds = 60;
      deployed();
      c.crashing.add(CANARY);
      c.newTemplate(CANARY);
    }

    @Test
    void noProgressForTheDeadlineIsDegradedOnceAndKeepsTheCanary() {
      crashingUpdate();
      Plan started = c.settle();
      assertThat(started.requeueAfter()).contains(Duration.ofSeconds(60));

      c.advance(Duration.ofSeconds(59));
      assertThat(c.reconcile().status().phase()).isEqualTo("Progressing");

      c.advance(Duration.ofSeconds(1));
      Plan exceeded = c.reconcile();
      assertThat(exceeded.status().phase()).isEqualTo("Degraded");
      assertThat(exceeded.status().message())
          .isEqualTo("ProgressDeadlineExceeded: ReplicaSet \"web-bbb\" has timed out progressing.");
      assertThat(condition(exceeded.status(), "Progressing")).hasValueSatisfying(p -> {
        assertThat(p.status()).isEqualTo("False");
        assertThat(p.reason()).isEqualTo("ProgressDeadlineExceeded");
      });
      assertThat(reasons(exceeded)).containsExactly("ProgressDeadlineExceeded");
      assertThat(exceeded.status().abort()).isNull();

      c.advance(Duration.ofMinutes(10));
      Plan later = c.reconcile();
      assertThat(later.events()).isEmpty();
      assertThat(later.status()).isEqualTo(exceeded.status());
      assertThat(c.spec(CANARY)).isEqualTo(2);
    }

    @Test
    void withProgressDeadlineAbortItAbortsInTheSamePlan() {
      c.spec.progressDeadlineAbort = true;
      crashingUpdate();
      c.settle();

      c.advance(Duration.ofSeconds(60));
      Plan aborted = c.reconcile();

      assertThat(reasons(aborted)).containsExactly("ProgressDeadlineExceeded", "RolloutAborted");
      assertThat(aborted.status().abort()).isTrue();
      assertThat(aborted.status().abortedAt()).isEqualTo(c.now.toString());
      assertThat(aborted.status().canary().weights().canary().weight()).isZero();
      assertThat(aborted.status().phase()).isEqualTo("Degraded");
      assertThat(aborted.status().currentStepIndex()).isZero();
      assertThat(aborted.requeueAfter()).contains(Duration.ofSeconds(30));
    }

    @Test
    void aDeadlineAbortInThePlanThatSeesEditedStepsTellsEachOnceInOrderAndAbortsFromTheFirstStep() {
      c.spec.progressDeadlineAbort = true;
      crashingUpdate();
      c.settle();
      c.advance(Duration.ofSeconds(60));
      c.spec.steps(setWeight(10), pauseUntilPromoted());

      Plan aborted = c.reconcile();

      // the lifecycle restarts the edited steps, the stuck canary makes no progress, and the abort is
      // taken from where the update stood before the strategy tried to move it: each said once
      assertThat(reasons(aborted)).containsExactly("ProgressDeadlineExceeded", "StepsChanged", "StepStarted",
          "RolloutAborted");
      assertThat(aborted.status().abort()).isTrue();
      assertThat(aborted.status().currentStepIndex()).isZero();
      assertThat(aborted.status().canary().weights().canary().weight()).isZero();
      assertThat(condition(aborted.status(), "Progressing").orElseThrow().reason()).isEqualTo("ProgressDeadlineExceeded");
      c.settle();
      assertThat(c.status.abort()).isTrue();
      assertThat(c.spec(STABLE)).isEqualTo(c.spec.replicas);
    }

    @Test
    void anAbortByTheDeadlineSaysSoAndKeepsTheProgressDeadlineExceededReason() {
      c.spec.progressDeadlineAbort = true;
      crashingUpdate();
      c.settle();
      c.advance(Duration.ofSeconds(60));

      Plan aborted = c.reconcile();

      String why = "Rollout aborted update to revision 2: ReplicaSet \"web-bbb\" made no progress for 60s"
          + " (progressDeadlineSeconds, progressDeadlineAbort)";
      assertThat(aborted.status().message()).isEqualTo("RolloutAborted: " + why);
      assertThat(condition(aborted.status(), "Progressing")).hasValueSatisfying(p -> {
        assertThat(p.status()).isEqualTo("False");
        assertThat(p.reason()).as("Argo keeps the deadline's reason").isEqualTo("ProgressDeadlineExceeded");
        assertThat(p.message()).isEqualTo(why);
      });
      assertThat(aborted.events()).extracting(RolloutEvent::message).contains(why);

      c.advance(Duration.ofMinutes(5));
      c.settle();
      assertThat(c.status.message()).as("still says why once the canary is scaled down").isEqualTo("RolloutAborted: " + why);
      assertThat(condition(c.status, "Progressing").orElseThrow().reason()).isEqualTo("ProgressDeadlineExceeded");
    }

    @Test
    void aUserAbortAfterTheDeadlineWithoutProgressDeadlineAbortIsTheUsers() {
      crashingUpdate();
      c.settle();
      c.advance(Duration.ofSeconds(60));
      c.settle();

      c.abort();
      c.settle();

      assertThat(c.status.message()).isEqualTo("RolloutAborted: Rollout aborted update to revision 2: aborted by the user (status.abort)");
      assertThat(condition(c.status, "Progressing").orElseThrow().reason()).isEqualTo("RolloutAborted");
    }

    @Test
    void timeSpentPausedDoesNotCount() {
      c.spec.steps(setWeight(20), pause("2h"), setWeight(40), pauseUntilPromoted());
      c.spec.progressDeadlineSeconds = 60;
      updatedAndSettled();
      c.readyAfter = (hash, n) -> Duration.ofSeconds(50);

      c.advance(Duration.ofHours(2));
      c.reconcile();
      c.advance(Duration.ofSeconds(50));
      c.settle();

      assertThat(c.status.phase()).isEqualTo("Paused");
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
    }
  }

  @Nested
  class History {
    @Test
    void deletesTheOldestScaledDownReplicaSetsBeyondTheLimit() {
      c.spec.revisionHistoryLimit = 2;
      deployed();
      for (String hash : List.of("h1", "h2", "h3", "h4")) {
        c.newTemplate(hash);
        c.settle();
      }
      // revisions: aaa 1, h1 2, h2 3, h3 4, h4 5 (stable); the limit keeps h2 and h3
      assertThat(c.replicaSets.keySet()).containsExactly("h2", "h3", "h4");
      assertThat(c.history.stream().flatMap(p -> p.actions().stream()).filter(a -> a instanceof DeleteReplicaSet))
          .containsExactly(new DeleteReplicaSet("web-aaa"), new DeleteReplicaSet("web-h1"));
    }

    @Test
    void neverDeletesAReplicaSetThatStillHasPods() {
      c.spec.revisionHistoryLimit = 0;
      c.spec.steps(setWeight(50), pauseUntilPromoted());
      updatedAndSettled();

      assertThat(c.replicaSets.keySet()).containsExactly(STABLE, CANARY);
      c.newTemplate("ccc");
      c.settle();
      assertThat(c.replicaSets.keySet()).containsExactly(STABLE, "ccc");
    }
  }

  @Nested
  class InvalidSpec {
    @Test
    void touchesNothingKeepsTheProgressAndSaysWhy() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      updatedAndSettled();
      RolloutStatus before = c.status;
      c.spec.steps(setWeight(20), pauseUntilPromoted(), setWeight(150));
      c.generation++;

      Plan invalid = c.reconcile();

      String message = "spec.strategy.canary.steps[2].setWeight: must be between 0 and 100, got 150";
      assertThat(invalid.actions()).isEmpty();
      assertThat(invalid.requeueAfter()).isEmpty();
      assertThat(invalid.status().phase()).isEqualTo("Degraded");
      assertThat(invalid.status().message()).isEqualTo(message);
      assertThat(condition(invalid.status(), "InvalidSpec")).hasValueSatisfying(cond -> {
        assertThat(cond.status()).isEqualTo("True");
        assertThat(cond.reason()).isEqualTo("InvalidSpec");
        assertThat(cond.message()).isEqualTo(message);
      });
      assertThat(invalid.status().currentStepIndex()).isEqualTo(before.currentStepIndex());
      assertThat(invalid.status().pauseConditions()).isEqualTo(before.pauseConditions());
      assertThat(invalid.status().canary()).isEqualTo(before.canary());
      assertThat(invalid.status().observedGeneration()).isEqualTo(c.generation);
      assertThat(reasons(invalid)).containsExactly("InvalidSpec");

      c.advance(Duration.ofMinutes(1));
      Plan again = c.reconcile();
      assertThat(again.events()).isEmpty();
      assertThat(again.status()).isEqualTo(invalid.status());
    }

    @Test
    void anInvalidNewRolloutCreatesNothing() {
      c.spec.blueGreen = new dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy("active", null);

      Plan p = c.reconcile();

      assertThat(p.actions()).isEmpty();
      assertThat(p.status().message()).startsWith("spec.strategy:");
      assertThat(c.replicaSets).isEmpty();
    }

    @Test
    void aFixedSpecRemovesTheConditionAndProceeds() {
      deployed();
      c.spec.steps(setWeight(20), pauseUntilPromoted(), setWeight(150));
      c.newTemplate(CANARY);
      c.settle();
      assertThat(c.replicaSets.keySet()).containsExactly(STABLE);
      assertThat(conditionStatus(c.status, "InvalidSpec")).isEqualTo("True");

      c.spec.steps(setWeight(20), pauseUntilPromoted(), setWeight(50));
      c.settle();

      assertThat(condition(c.status, "InvalidSpec")).isEmpty();
      assertThat(c.status.phase()).isEqualTo("Paused");
      assertThat(c.spec(CANARY)).isEqualTo(2);
    }
  }

  @Nested
  class Idempotence {
    @Test
    void aHealthyRolloutPlansNothingAndTheSameStatusSoNoPatchIsNeeded() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      deployed();
      RolloutStatus stored = c.status;

      c.advance(Duration.ofHours(5));
      Plan p = c.plan();

      assertThat(p.status()).isEqualTo(stored);
      assertThat(p.actions()).isEmpty();
      assertThat(p.events()).isEmpty();
      assertThat(p.requeueAfter()).isEmpty();
    }

    @Test
    void theSameObservationAlwaysGivesTheSamePlan() {
      c.spec.steps(setWeight(20), pause("1m"), setWeight(50), pauseUntilPromoted());
      deployed();
      c.newTemplate(CANARY);
      for (int i = 0; i < 12; i++) {
        Observed observed = c.observe();
        Plan once = c.planner.plan(observed, c.now);
        assertThat(new RolloutPlanner().plan(observed, c.now)).isEqualTo(once);
        c.apply(once);
        c.advance(Duration.ofSeconds(15));
      }
    }

    @Test
    void replanningTheStatusAPlanProducedGivesThatStatusBackAndNoEvents() {
      c.spec.steps(setWeight(20), pause("1m"), setWeight(50), pauseUntilPromoted());
      c.spec.canaryService = "web-canary";
      c.services.put("web-canary", Map.of("app", "web"));
      deployed();
      c.readyAfter = (hash, n) -> Duration.ofSeconds(10);
      c.newTemplate(CANARY);
      for (int i = 0; i < 20; i++) {
        Plan p = c.plan();
        c.status = p.status();
        Plan replanned = c.plan();
        assertThat(replanned.status()).as("status after %d plans", i).isEqualTo(p.status());
        assertThat(replanned.events()).isEmpty();
        assertThat(replanned.actions()).isEqualTo(p.actions());
        c.apply(p);
        c.advance(Duration.ofSeconds(10));
      }
      assertThat(c.status.currentStepIndex()).isEqualTo(3);
    }
  }

  @Nested
  class Services {
    @Test
    void pinsEachServiceOnlyOnceItsPodsAreAvailable() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      c.spec.canaryService = "web-canary";
      c.spec.stableService = "web-stable";
      c.services.put("web-canary", Map.of("app", "web"));
      c.services.put("web-stable", Map.of("app", "web"));
      c.readyAfter = (hash, n) -> Duration.ofSeconds(10);

      assertThat(c.reconcile().actions()).noneMatch(a -> a instanceof PinServiceSelector);
      c.advance(Duration.ofSeconds(10));
      assertThat(c.reconcile().actions()).containsExactly(
          new PinServiceSelector("web-canary", STABLE), new PinServiceSelector("web-stable", STABLE));

      c.newTemplate(CANARY);
      assertThat(c.reconcile().actions()).noneMatch(a -> a instanceof PinServiceSelector);
      c.advance(Duration.ofSeconds(10));
      Plan canaryReady = c.reconcile();
      assertThat(canaryReady.actions()).containsExactly(new PinServiceSelector("web-canary", CANARY));
      assertThat(c.settle().actions()).isEmpty();

      c.promote();
      for (int i = 0; i < 5; i++) {
        c.settle();
        c.advance(Duration.ofSeconds(10));
      }
      assertThat(c.status.stableRS()).isEqualTo(CANARY);
      assertThat(c.services.get("web-canary")).containsEntry("sluice.dev/pod-template-hash", CANARY);
      assertThat(c.services.get("web-stable")).containsEntry("sluice.dev/pod-template-hash", CANARY);
    }

    @Test
    void anAbortPointsTheCanaryServiceBackAtStableBeforeAnythingElse() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      c.spec.canaryService = "web-canary";
      c.services.put("web-canary", new HashMap<>(Map.of("app", "web")));
      updatedAndSettled();
      assertThat(c.services.get("web-canary")).containsEntry("sluice.dev/pod-template-hash", CANARY);

      c.abort();
      Plan aborted = c.reconcile();

      assertThat(aborted.actions().get(0)).isEqualTo(new PinServiceSelector("web-canary", STABLE));
    }

    @Test
    void aMissingServiceBlocksTheRolloutAndSaysWhichUntilItExists() {
      c.spec.steps(setWeight(20), pauseUntilPromoted());
      c.spec.stableService = "web-stable";

      Plan waiting = c.reconcile();

      String message = "Service \"web-stable\" (spec.strategy.canary.stableService) not found: waiting for it to be created";
      assertThat(waiting.actions()).isEmpty();
      assertThat(waiting.status().phase()).isEqualTo("Degraded");
      assertThat(waiting.status().message()).isEqualTo("ServiceNotFound: " + message);
      assertThat(condition(waiting.status(), "Progressing")).hasValueSatisfying(p -> {
        assertThat(p.reason()).isEqualTo("ServiceNotFound");
        assertThat(p.message()).isEqualTo(message);
      });
      assertThat(reasons(waiting)).containsExactly("ServiceNotFound");
      assertThat(c.reconcile().events()).isEmpty();

      c.services.put("web-stable", Map.of("app", "web"));
      c.settle();
      assertThat(c.status.phase()).isEqualTo("Healthy");
      assertThat(c.services.get("web-stable")).containsEntry("sluice.dev/pod-template-hash", STABLE);
    }
  }

  static Object intOrPercent(String text) {
    return text.endsWith("%") ? text : (Object) Integer.valueOf(text);
  }
}

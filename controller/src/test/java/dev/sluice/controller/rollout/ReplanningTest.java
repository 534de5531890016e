package dev.sluice.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.Rollout;
import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.controller.plan.Action;
import dev.sluice.controller.plan.Plan;
import dev.sluice.controller.plan.Plan.RolloutEvent;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A reconcile's passes: planned again after ReplicaSet changes the caches show, one status for all of them. */
class ReplanningTest {
  private static final Duration RETRY = Duration.ofMillis(200);
  private static final Action CREATE_CANARY = new Action.CreateReplicaSet("web-new", "new", 2, 1);
  private static final Action SCALE_STABLE = new Action.ScaleReplicaSet("web-old", 1);

  /** Each pass's plan in turn, and the status each pass was planned from. */
  private static final class ScriptedPasses implements Replanning.Pass {
    private final List<Optional<Plan>> plans;
    final List<RolloutStatus> plannedFrom = new ArrayList<>();

    ScriptedPasses(List<Optional<Plan>> plans) {
      this.plans = plans;
    }

    @Override
    public Optional<Plan> run(Rollout rollout) {
      plannedFrom.add(rollout.getStatus());
      return plans.get(plannedFrom.size() - 1);
    }
  }

  @Test
  void aNewReplicaSetAndItsConsequenceAreOneStatusWithBothPassesEvents() {
    var passes = new ScriptedPasses(List.of(
        Optional.of(plan(status(0, "waiting for all steps to complete"), List.of(CREATE_CANARY), "RolloutUpdated", null)),
        Optional.of(plan(status(0, "updated replicas are still becoming available"), List.of(), "StepStarted", Duration.ofSeconds(5)))));
    Rollout rollout = rollout(status(null, null));

    Plan folded = Replanning.fold(rollout, passes, RETRY).orElseThrow();

    assertThat(folded.status()).isEqualTo(status(0, "updated replicas are still becoming available"));
    assertThat(folded.events()).extracting(RolloutEvent::reason).containsExactly("RolloutUpdated", "StepStarted");
    assertThat(folded.requeueAfter()).contains(Duration.ofSeconds(5));
    // the second pass starts from the first one's status, as if it had been written; the cached object is untouched
    assertThat(passes.plannedFrom).containsExactly(status(null, null), status(0, "waiting for all steps to complete"));
    assertThat(rollout.getStatus()).isEqualTo(status(null, null));
  }

  @Test
  void aPlanWithoutReplicaSetChangesIsTheOnlyPass() {
    var passes = new ScriptedPasses(List.of(
        Optional.of(plan(status(2, "paused"), List.of(new Action.CreateAnalysisRun("run", java.util.Map.of(), java.util.Map.of(), null)),
            "AnalysisRunStarted", null))));

    Plan folded = Replanning.fold(rollout(status(1, null)), passes, RETRY).orElseThrow();

    assertThat(passes.plannedFrom).hasSize(1);
    assertThat(folded.status()).isEqualTo(status(2, "paused"));
  }

  @Test
  void anActionOnlyAWatchWouldShowEndsThePasses() {
    for (Action unseen : List.of(new Action.DeleteReplicaSet("web-older"), new Action.ScaleDeployment("web", 0),
        new Action.DeletePod("web-old-abc"), new Action.SetTrafficWeight(25, "new", "old"))) {
      var passes = new ScriptedPasses(List.of(Optional.of(plan(status(1, null), List.of(SCALE_STABLE, unseen), "StepStarted", null))));

      Replanning.fold(rollout(status(0, null)), passes, RETRY).orElseThrow();

      assertThat(passes.plannedFrom).as("after %s", unseen).hasSize(1);
    }
  }

  @Test
  void passesAreBoundedEvenIfEachScalesAgain() {
    List<Optional<Plan>> plans = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      plans.add(Optional.of(plan(status(i, null), List.of(SCALE_STABLE), "Scaled", null)));
    }
    var passes = new ScriptedPasses(plans);

    Plan folded = Replanning.fold(rollout(status(null, null)), passes, RETRY).orElseThrow();

    assertThat(passes.plannedFrom).hasSize(Replanning.MAX_PASSES);
    assertThat(folded.status()).isEqualTo(status(Replanning.MAX_PASSES - 1, null));
    assertThat(folded.events()).hasSize(Replanning.MAX_PASSES);
  }

  @Test
  void aConflictInTheFirstPassWritesNothingAndInALaterOneKeepsWhatWasDone() {
    assertThat(Replanning.fold(rollout(status(0, null)), new ScriptedPasses(List.of(Optional.empty())), RETRY)).isEmpty();

    var passes = new ScriptedPasses(List.of(
        Optional.of(plan(status(1, "scaled"), List.of(SCALE_STABLE), "StepStarted", Duration.ofSeconds(30))), Optional.empty()));
    Plan folded = Replanning.fold(rollout(status(0, null)), passes, RETRY).orElseThrow();

    assertThat(folded.status()).isEqualTo(status(1, "scaled"));
    assertThat(folded.events()).extracting(RolloutEvent::reason).containsExactly("StepStarted");
    assertThat(folded.requeueAfter()).contains(RETRY);
  }

  private static Plan plan(RolloutStatus status, List<Action> actions, String event, Duration requeue) {
    return new Plan(status, actions, List.of(new RolloutEvent(RolloutEvent.Type.Normal, event, event)), Optional.ofNullable(requeue));
  }

  private static Rollout rollout(RolloutStatus status) {
    Rollout r = new Rollout();
    r.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("default").withResourceVersion("7").build());
    r.setStatus(status);
    return r;
  }

  private static RolloutStatus status(Integer step, String message) {
    return new RolloutStatus("Progressing", message, 1L, "new", "old", step, null, 2, 0, 2, 2, 2, null, null, null, null, null,
        null, null, null, null, List.of());
  }
}

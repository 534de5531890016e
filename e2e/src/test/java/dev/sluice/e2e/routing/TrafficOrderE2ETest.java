package dev.sluice.e2e.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.RolloutStatus;
import dev.sluice.e2e.RealCluster;
import dev.sluice.e2e.routing.TrafficTimeline.Event;
import dev.sluice.e2e.routing.TrafficTimeline.Kind;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ordering rules the planner owns, recorded with watches on the real cluster (Gateway API):
 * with dynamicStableScale the stable shrinks only after traffic has left it and is back at full
 * size, available, before an abort sends traffic back; and a new template during an update takes
 * the weight off the old canary before its pods go, then gives weight to the new canary only once
 * its pods are available.
 */
@RealCluster
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrafficOrderE2ETest extends RoutedRolloutE2E {
  private static final int REPLICAS = 4;
  private static final String STEPS = """
      - setWeight: 50
      - pause: {}
      """;

  private RolloutStatus awaitPausedAtTheEnd(String name, String hash) {
    within(60).until(() -> {
      RolloutStatus s = rollouts.status(name);
      return s != null && Objects.equals(s.currentStepIndex(), 1) && "Paused".equals(s.phase())
          && (hash == null || !hash.equals(s.currentPodHash()));
    });
    return rollouts.status(name);
  }

  private String deploy(RouterFixture router, String canaryExtra) {
    rollouts.createAll(router.objects());
    rollouts.createAll(RoutedRollouts.manifest(router, REPLICAS, 2, canaryExtra, STEPS));
    within(90).until(() -> "Healthy".equals(rollouts.phase(router.name())));
    return rollouts.status(router.name()).stableRS();
  }

  @Test
  void dynamicStableScaleShrinksTheStableAfterTrafficLeftAndRestoresItBeforeAnAbortSendsTrafficBack() {
    RouterFixture router = RouterFixture.gatewayApi("dynamic");
    String v1 = deploy(router, "dynamicStableScale: true\nabortScaleDownDelaySeconds: 3");

    try (TrafficTimeline timeline = new TrafficTimeline(k8s, namespace, router)) {
      rollouts.setImage("dynamic", "registry.example/app:2.0");
      String v2 = awaitPausedAtTheEnd("dynamic", v1).currentPodHash();
      within(30).until(() -> rollouts.specReplicas("dynamic", v1) == 2);

      Event half = timeline.awaitCaughtUp().events().stream().filter(e -> e.kind() == Kind.WEIGHT && e.value() == 50).findFirst().orElseThrow();
      Event shrunk = timeline.firstAfter(0, e -> e.kind() == Kind.SCALED && v1.equals(e.hash()) && e.value() < REPLICAS)
          .orElseThrow();
      assertThat(shrunk.revision()).as("the stable shrinks after the weight left it").isGreaterThan(half.revision());
      assertThat(shrunk.value()).isEqualTo(2);
      assertThat(timeline.valueBefore(half.revision(), Kind.AVAILABLE, v2)).isEqualTo(2);

      long abortedAt = rollouts.abort("dynamic");
      within(30).until(() -> Objects.equals(router.storedWeights(k8s, namespace).canary(), 0));
      Event back = timeline.awaitCaughtUp().firstAfter(abortedAt, e -> e.kind() == Kind.WEIGHT && e.value() == 0).orElseThrow();
      assertThat(timeline.valueBefore(back.revision(), Kind.AVAILABLE, v1))
          .as("available stable pods when the weight went back to it").isEqualTo(REPLICAS);
      assertThat(timeline.valueBefore(back.revision(), Kind.SCALED, v2)).as("canary pods kept meanwhile").isEqualTo(2);
      within(30).until(() -> rollouts.specReplicas("dynamic", v2) == 0);
      within(30).until(() -> timeline.firstAfter(abortedAt, e -> v2.equals(e.hash()) && e.kind() == Kind.POD_GOING).isPresent());
      assertThat(timeline.awaitCaughtUp().firstAfter(abortedAt, e -> v2.equals(e.hash()) && e.kind() == Kind.POD_GOING).orElseThrow().revision())
          .isGreaterThan(back.revision());
      timeline.print(Map.of(v1, "stable v1", v2, "canary v2"));
    }
  }

  @Test
  void aNewTemplateMidUpdateTakesTheWeightOffTheOldCanaryBeforeItsPodsGo() {
    RouterFixture router = RouterFixture.gatewayApi("retemplate");
    String v1 = deploy(router, "");

    try (TrafficTimeline timeline = new TrafficTimeline(k8s, namespace, router)) {
      rollouts.setImage("retemplate", "registry.example/app:2.0");
      String v2 = awaitPausedAtTheEnd("retemplate", v1).currentPodHash();
      long half = timeline.awaitCaughtUp().events().stream().filter(e -> e.kind() == Kind.WEIGHT && e.value() == 50)
          .findFirst().orElseThrow().revision();

      rollouts.setImage("retemplate", "registry.example/app:3.0");
      String v3 = awaitPausedAtTheEnd("retemplate", v2).currentPodHash();
      within(30).until(() -> rollouts.specReplicas("retemplate", v2) == 0);

      Event off = timeline.awaitCaughtUp().firstAfter(half, e -> e.kind() == Kind.WEIGHT && e.value() == 0).orElseThrow();
      Event oldCanaryGoes = timeline.firstAfter(half, e -> v2.equals(e.hash())
          && (e.kind() == Kind.POD_GOING || (e.kind() == Kind.SCALED && e.value() < 2))).orElseThrow();
      Event onNew = timeline.firstAfter(off.revision(), e -> e.kind() == Kind.WEIGHT && e.value() == 50).orElseThrow();
      assertThat(off.revision()).as("weight off the old canary before its pods go").isLessThan(oldCanaryGoes.revision());
      assertThat(timeline.valueBefore(onNew.revision(), Kind.AVAILABLE, v3))
          .as("new canary pods available when it got the weight").isGreaterThanOrEqualTo(2);
      assertThat(rollouts.pinnedHash(router.canaryService())).isEqualTo(v3);
      assertThat(router.storedWeights(k8s, namespace).canary()).isEqualTo(50);
      timeline.print(Map.of(v1, "stable v1", v2, "canary v2", v3, "canary v3"));
    }
  }
}

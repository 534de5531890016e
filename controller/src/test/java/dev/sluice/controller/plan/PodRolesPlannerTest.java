package dev.sluice.controller.plan;

import static dev.sluice.controller.plan.SpecBuilder.pauseUntilPromoted;
import static dev.sluice.controller.plan.SpecBuilder.setWeight;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.v1alpha1.CanaryStrategy.AntiAffinity;
import dev.sluice.api.v1alpha1.CanaryStrategy.PodMetadata;
import dev.sluice.api.v1alpha1.CanaryStrategy.PreferredAntiAffinity;
import dev.sluice.api.v1alpha1.RolloutStrategy.BlueGreenStrategy;
import dev.sluice.controller.plan.Action.SetPodMetadata;
import dev.sluice.controller.plan.Action.SetTemplateAntiAffinity;
import dev.sluice.controller.plan.Action.SetTemplateRole;
import dev.sluice.controller.plan.FakeCluster.FakePod;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Pod roles against {@link FakeCluster}: the labels and annotations of the canary's and the
 * stable's pods (preview and active in blue-green), and the anti-affinity the new pods get to the
 * stable's, through first deploy, update, promotion, abort and retry; pods keep their names
 * throughout (changed in place, never recreated).
 */
class PodRolesPlannerTest {
  static final String STABLE = "aaa";
  static final String NEW = "bbb";

  final FakeCluster c = new FakeCluster();

  @BeforeEach
  void templateWithItsOwnTrackLabel() {
    c.spec.replicas(4);
    // the template's own "track" label: canaryMetadata overrides it while the pods are the canary's
    c.spec.template.getMetadata().getLabels().put("track", "main");
    c.spec.template.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("owner", "team-a")));
  }

  List<FakePod> pods(String hash) {
    return c.replicaSets.get(hash).pods;
  }

  List<String> podNames(String hash) {
    return pods(hash).stream().map(p -> p.name).toList();
  }

  /** The labels Sluice does not own, without the hash: what a user looks at. */
  static Map<String, String> labelsOf(FakePod pod) {
    var labels = new java.util.TreeMap<>(pod.labels);
    labels.remove(dev.sluice.api.SluiceLabels.POD_TEMPLATE_HASH);
    return labels;
  }

  @Nested
  class Canary {
    @BeforeEach
    void canaryWithRoles() {
      c.spec.steps(setWeight(25), pauseUntilPromoted());
      c.spec.canaryMetadata = new PodMetadata(Map.of("role", "canary", "track", "canary"), Map.of("phase", "trying"));
      c.spec.stableMetadata = new PodMetadata(Map.of("role", "stable"), null);
      c.spec.antiAffinity = new AntiAffinity(new PreferredAntiAffinity(40), null);
    }

    @Test
    void theFirstDeployIsTheStableWithoutAntiAffinity() {
      c.settle();

      assertThat(c.status.phase()).isEqualTo("Healthy");
      assertThat(pods(STABLE)).hasSize(4).allSatisfy(p -> {
        assertThat(labelsOf(p)).isEqualTo(Map.of("app", "web", "track", "main", "role", "stable"));
        assertThat(p.annotations).isEqualTo(Map.of("owner", "team-a"));
      });
      assertThat(c.replicaSets.get(STABLE).role).isEqualTo(new RoleMetadata(Map.of("role", "stable"), null));
      assertThat(c.replicaSets.get(STABLE).antiAffinity).isEmpty();
      // created with its role: nothing to move afterwards
      assertThat(c.roleActions).isEmpty();
    }

    @Test
    void theCanaryGetsCanaryMetadataAndAntiAffinityToTheStableWhichKeepsItsOwn() {
      c.settle();
      c.newTemplate(NEW);
      c.settle();

      assertThat(c.status.canary().weights().canary().weight()).isEqualTo(25);
      assertThat(pods(NEW)).hasSize(1).allSatisfy(p -> {
        assertThat(labelsOf(p)).isEqualTo(Map.of("app", "web", "track", "canary", "role", "canary"));
        assertThat(p.annotations).isEqualTo(Map.of("owner", "team-a", "phase", "trying"));
      });
      assertThat(c.replicaSets.get(NEW).antiAffinity).contains(new AntiAffinityTerm(STABLE, false, 40));
      assertThat(pods(STABLE)).allSatisfy(p -> assertThat(labelsOf(p)).containsEntry("role", "stable").containsEntry("track", "main"));
      assertThat(c.roleActions).isEmpty();
    }

    @Test
    void promotionMovesTheCanaryPodsToTheStableRoleInPlaceAndDropsTheAntiAffinity() {
      c.settle();
      c.newTemplate(NEW);
      c.settle();
      List<String> canaryPods = podNames(NEW);

      c.promote();
      c.settle();

      assertThat(c.status.stableRS()).isEqualTo(NEW);
      assertThat(podNames(NEW)).hasSize(4).containsAll(canaryPods);
      assertThat(pods(NEW)).allSatisfy(p -> {
        // the template's own track comes back once the canary role no longer sets it
        assertThat(labelsOf(p)).isEqualTo(Map.of("app", "web", "track", "main", "role", "stable"));
        assertThat(p.annotations).isEqualTo(Map.of("owner", "team-a"));
      });
      assertThat(c.replicaSets.get(NEW).templateLabels).containsEntry("role", "stable").containsEntry("track", "main");
      assertThat(c.replicaSets.get(NEW).templateAnnotations).doesNotContainKey("phase");
      assertThat(c.replicaSets.get(NEW).antiAffinity).isEmpty();
      assertThat(c.roleActions).contains(new SetTemplateAntiAffinity("web-" + NEW, Optional.empty()))
          .filteredOn(SetPodMetadata.class::isInstance).hasSize(4);
      assertThat(c.roleActions).filteredOn(SetTemplateRole.class::isInstance)
          .extracting(a -> ((SetTemplateRole) a).name()).containsExactly("web-" + NEW);
    }

    @Test
    void thePromotionPlanChangesTheTemplateFirstThenEachCanaryPodOnce() {
      c.settle();
      c.newTemplate(NEW);
      c.settle();
      c.promote();

      Plan promoted = c.reconcile();
      for (int i = 0; i < 20 && !NEW.equals(promoted.status().stableRS()); i++) {
        promoted = c.reconcile();
      }

      List<Action> roles = promoted.actions().stream()
          .filter(a -> a instanceof SetTemplateRole || a instanceof SetTemplateAntiAffinity || a instanceof SetPodMetadata).toList();
      assertThat(roles).hasSize(2 + 4);
      assertThat(roles.get(0)).isInstanceOf(SetTemplateRole.class);
      assertThat(roles.get(1)).isEqualTo(new SetTemplateAntiAffinity("web-" + NEW, Optional.empty()));
      assertThat(roles.subList(2, 6)).allSatisfy(a -> {
        SetPodMetadata pod = (SetPodMetadata) a;
        assertThat(pod.change().setLabels()).isEqualTo(Map.of("role", "stable", "track", "main"));
        assertThat(pod.change().removeLabels()).isEmpty();
        assertThat(pod.change().setAnnotations()).isEmpty();
        assertThat(pod.change().removeAnnotations()).containsExactly("phase");
      });
      assertThat(roles.subList(2, 6)).extracting(a -> ((SetPodMetadata) a).name()).containsExactlyInAnyOrderElementsOf(podNames(NEW));
    }

    @Test
    void anAbortLeavesTheRolesAsTheyAreAndARetryGoesOnWithThem() {
      c.settle();
      c.newTemplate(NEW);
      c.settle();
      List<String> canaryPods = podNames(NEW);

      c.abort();
      c.settle();
      assertThat(c.status.phase()).isEqualTo("Degraded");
      assertThat(pods(STABLE)).hasSize(4).allSatisfy(p -> assertThat(labelsOf(p)).containsEntry("role", "stable"));
      // Argo Rollouts keeps the canary's metadata on an aborted canary: it is still the update's ReplicaSet
      assertThat(c.replicaSets.get(NEW).role.labels()).containsEntry("role", "canary");
      assertThat(c.replicaSets.get(NEW).antiAffinity).contains(new AntiAffinityTerm(STABLE, false, 40));

      c.retry();
      c.settle();
      assertThat(pods(NEW)).hasSize(1).allSatisfy(p -> assertThat(labelsOf(p)).containsEntry("role", "canary"));
      assertThat(c.roleActions).isEmpty();
      assertThat(canaryPods).hasSize(1);
    }

    @Test
    void goingBackToTheStableTemplateLeavesTheAbandonedCanaryAlone() {
      c.settle();
      c.newTemplate(NEW);
      c.settle();
      c.newTemplate(STABLE);

      c.settle();

      assertThat(c.status.phase()).isEqualTo("Healthy");
      assertThat(c.spec(NEW)).isZero();
      assertThat(pods(STABLE)).allSatisfy(p -> assertThat(labelsOf(p)).containsEntry("role", "stable"));
      assertThat(c.roleActions).isEmpty();
    }

    @Test
    void aReplicaSetThatIsTheUpdateAgainGetsItsRoleAndTheTemplatesOwnValuesBack() {
      c.settle();
      c.newTemplate(NEW);
      c.settle();
      c.promote();
      c.settle();
      // back to the first template: its ReplicaSet, created as the stable, is now the canary
      c.newTemplate(STABLE);
      c.settle();
      assertThat(pods(STABLE)).hasSize(1).allSatisfy(p -> assertThat(labelsOf(p)).containsEntry("role", "canary").containsEntry("track", "canary"));
      assertThat(c.replicaSets.get(STABLE).antiAffinity).contains(new AntiAffinityTerm(NEW, false, 40));

      c.promote();
      c.settle();

      assertThat(pods(STABLE)).hasSize(4).allSatisfy(p -> assertThat(labelsOf(p)).isEqualTo(Map.of("app", "web", "track", "main", "role", "stable")));
      assertThat(c.replicaSets.get(STABLE).antiAffinity).isEmpty();
    }

    @Test
    void aPodAControllerCrashLeftInItsOldRoleIsPutRight() {
      c.settle();
      c.newTemplate(NEW);
      c.settle();
      c.promote();
      Plan promoted = c.plan();
      // only the template actions were applied before the crash
      c.apply(new Plan(promoted.status(), promoted.actions().stream().filter(a -> !(a instanceof SetPodMetadata)).toList(),
          promoted.events(), promoted.requeueAfter()));
      assertThat(pods(NEW).get(0).labels).containsEntry("role", "canary");

      c.settle();

      assertThat(pods(NEW)).allSatisfy(p -> assertThat(labelsOf(p)).containsEntry("role", "stable").containsEntry("track", "main"));
    }

    @Test
    void rolesRemovedFromTheSpecLeaveTheTemplateAndPods() {
      c.settle();
      c.spec.canaryMetadata = null;
      c.spec.stableMetadata = null;

      c.settle();

      assertThat(pods(STABLE)).allSatisfy(p -> assertThat(labelsOf(p)).isEqualTo(Map.of("app", "web", "track", "main")));
      assertThat(c.replicaSets.get(STABLE).role).isEqualTo(RoleMetadata.NONE);
    }

    @Test
    void nothingIsWrittenOnceEveryPodHasItsRole() {
      c.settle();
      c.newTemplate(NEW);
      c.settle();

      Plan again = c.plan();

      assertThat(again.actions()).noneMatch(a -> a instanceof SetTemplateRole || a instanceof SetTemplateAntiAffinity
          || a instanceof SetPodMetadata);
      assertThat(again.status()).isEqualTo(c.status);
    }

    @Test
    void requiredAntiAffinityIsInjectedAsRequired() {
      c.spec.antiAffinity = new AntiAffinity(null, Map.of());
      c.settle();
      c.newTemplate(NEW);
      c.settle();

      assertThat(c.replicaSets.get(NEW).antiAffinity).contains(new AntiAffinityTerm(STABLE, true, 0));
    }
  }

  @Nested
  class BlueGreen {
    @BeforeEach
    void blueGreenWithRoles() {
      c.spec.canary = false;
      c.services.put("web-active", Map.of("app", "web"));
      c.services.put("web-preview", Map.of("app", "web"));
      c.spec.blueGreen = new BlueGreenStrategy("web-active", "web-preview", false, null, null, null, null, 30, null, 30,
          new AntiAffinity(null, Map.of()), new PodMetadata(Map.of("role", "active"), null),
          new PodMetadata(Map.of("role", "preview"), Map.of("preview", "yes")));
    }

    @Test
    void thePreviewHasPreviewMetadataUntilPromotedThenActiveMetadataOnTheSamePods() {
      c.settle();
      assertThat(pods(STABLE)).allSatisfy(p -> assertThat(labelsOf(p)).containsEntry("role", "active"));
      c.newTemplate(NEW);
      c.settle();
      assertThat(pods(NEW)).hasSize(4).allSatisfy(p -> {
        assertThat(labelsOf(p)).containsEntry("role", "preview");
        assertThat(p.annotations).containsEntry("preview", "yes");
      });
      assertThat(c.replicaSets.get(NEW).antiAffinity).contains(new AntiAffinityTerm(STABLE, true, 0));
      List<String> previewPods = podNames(NEW);

      c.promote();
      c.settle();

      assertThat(c.status.stableRS()).isEqualTo(NEW);
      assertThat(podNames(NEW)).containsExactlyElementsOf(previewPods);
      assertThat(pods(NEW)).allSatisfy(p -> {
        assertThat(labelsOf(p)).containsEntry("role", "active");
        assertThat(p.annotations).doesNotContainKey("preview");
      });
      assertThat(c.replicaSets.get(NEW).antiAffinity).isEmpty();
    }
  }
}

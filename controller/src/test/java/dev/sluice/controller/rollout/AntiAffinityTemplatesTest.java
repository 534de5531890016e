package dev.sluice.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.controller.plan.AntiAffinityTerm;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The injected anti-affinity beside the user's own affinity, which is never changed. */
class AntiAffinityTemplatesTest {
  private static final AntiAffinityTerm PREFERRED = new AntiAffinityTerm("stable1", false, 40);
  private static final AntiAffinityTerm REQUIRED = new AntiAffinityTerm("stable2", true, 0);

  /** The user's template: a node affinity and an anti-affinity of its own (spread its pods by zone). */
  private static Affinity users() {
    return new AffinityBuilder()
        .withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
          .addNewNodeSelectorTerm().addNewMatchExpression().withKey("disk").withOperator("In").withValues("ssd").endMatchExpression()
          .endNodeSelectorTerm().endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
        .withNewPodAntiAffinity()
          .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(10)
            .withPodAffinityTerm(new PodAffinityTermBuilder().withNewLabelSelector().addToMatchLabels("app", "web").endLabelSelector()
                .withTopologyKey("topology.kubernetes.io/zone").build())
          .endPreferredDuringSchedulingIgnoredDuringExecution()
        .endPodAntiAffinity()
        .build();
  }

  @Test
  void aTemplateWithoutAffinityGetsOnlyTheTermAndLosesItAgain() {
    Affinity injected = AntiAffinityTemplates.with(null, Optional.of(REQUIRED));

    var term = injected.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().get(0);
    assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
    assertThat(term.getLabelSelector().getMatchExpressions().get(0).getKey()).isEqualTo("sluice.dev/pod-template-hash");
    assertThat(term.getLabelSelector().getMatchExpressions().get(0).getValues()).containsExactly("stable2");
    assertThat(AntiAffinityTemplates.find(injected)).contains(REQUIRED);
    assertThat(AntiAffinityTemplates.with(injected, Optional.empty())).isNull();
  }

  @Test
  void theUsersAffinityStaysAsItIsBesideTheTerm() {
    Affinity injected = AntiAffinityTemplates.with(users(), Optional.of(PREFERRED));

    assertThat(injected.getNodeAffinity()).isEqualTo(users().getNodeAffinity());
    assertThat(injected.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(2)
        .first().isEqualTo(users().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().get(0));
    assertThat(injected.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().get(1).getWeight()).isEqualTo(40);
    assertThat(AntiAffinityTemplates.find(injected)).contains(PREFERRED);
    Affinity removed = AntiAffinityTemplates.with(injected, Optional.empty());
    assertThat(removed.getNodeAffinity()).isEqualTo(users().getNodeAffinity());
    assertThat(removed.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
        .isEqualTo(users().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution());
    assertThat(removed.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).isNullOrEmpty();
  }

  @Test
  void aNewStableReplacesTheTermRatherThanAddingOne() {
    Affinity first = AntiAffinityTemplates.with(users(), Optional.of(PREFERRED));

    Affinity second = AntiAffinityTemplates.with(first, Optional.of(REQUIRED));

    assertThat(AntiAffinityTemplates.find(second)).contains(REQUIRED);
    assertThat(second.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
    assertThat(second.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
  }

  @Test
  void theUsersOwnTermsAreNeverTakenForTheInjectedOne() {
    assertThat(AntiAffinityTemplates.find(users())).isEmpty();
    assertThat(AntiAffinityTemplates.find(null)).isEmpty();
  }
}

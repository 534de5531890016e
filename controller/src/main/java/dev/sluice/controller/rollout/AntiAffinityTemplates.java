package dev.sluice.controller.rollout;

import dev.sluice.api.SluiceLabels;
import dev.sluice.controller.plan.AntiAffinityTerm;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The anti-affinity term Sluice injects into a ReplicaSet's pod template (see {@link AntiAffinityTerm}),
 * found in and put into the template's affinity beside whatever affinity the user's template has,
 * which is never changed. Pure.
 */
final class AntiAffinityTemplates {
  private AntiAffinityTemplates() {}

  /** The injected term in {@code affinity}, if any. */
  static Optional<AntiAffinityTerm> find(Affinity affinity) {
    PodAntiAffinity anti = affinity == null ? null : affinity.getPodAntiAffinity();
    if (anti == null) {
      return Optional.empty();
    }
    for (PodAffinityTerm term : orEmpty(anti.getRequiredDuringSchedulingIgnoredDuringExecution())) {
      Optional<String> hash = injectedHash(term);
      if (hash.isPresent()) {
        return Optional.of(new AntiAffinityTerm(hash.get(), true, 0));
      }
    }
    for (WeightedPodAffinityTerm weighted : orEmpty(anti.getPreferredDuringSchedulingIgnoredDuringExecution())) {
      Optional<String> hash = injectedHash(weighted.getPodAffinityTerm());
      if (hash.isPresent()) {
        return Optional.of(new AntiAffinityTerm(hash.get(), false, weighted.getWeight() == null ? 0 : weighted.getWeight()));
      }
    }
    return Optional.empty();
  }

  /**
   * {@code affinity} (not modified) without any injected term and with {@code term} added; null
   * when nothing is left.
   */
  static Affinity with(Affinity affinity, Optional<AntiAffinityTerm> term) {
    AffinityBuilder builder = affinity == null ? new AffinityBuilder() : new AffinityBuilder(affinity);
    PodAntiAffinity anti = affinity == null ? null : affinity.getPodAntiAffinity();
    List<PodAffinityTerm> required = new ArrayList<>();
    List<WeightedPodAffinityTerm> preferred = new ArrayList<>();
    if (anti != null) {
      orEmpty(anti.getRequiredDuringSchedulingIgnoredDuringExecution()).stream()
          .filter(t -> injectedHash(t).isEmpty()).forEach(required::add);
      orEmpty(anti.getPreferredDuringSchedulingIgnoredDuringExecution()).stream()
          .filter(t -> injectedHash(t.getPodAffinityTerm()).isEmpty()).forEach(preferred::add);
    }
    term.ifPresent(t -> {
      if (t.required()) {
        required.add(podAffinityTerm(t.stableHash()));
      } else {
        preferred.add(new WeightedPodAffinityTerm(podAffinityTerm(t.stableHash()), t.weight()));
      }
    });
    builder.withPodAntiAffinity(required.isEmpty() && preferred.isEmpty() ? null
        : new PodAntiAffinity(preferred.isEmpty() ? null : preferred, required.isEmpty() ? null : required));
    Affinity result = builder.build();
    boolean empty = result.getNodeAffinity() == null && result.getPodAffinity() == null && result.getPodAntiAffinity() == null
        && result.getAdditionalProperties().isEmpty();
    return empty ? null : result;
  }

  private static PodAffinityTerm podAffinityTerm(String stableHash) {
    return new PodAffinityTermBuilder()
        .withNewLabelSelector()
          .addNewMatchExpression().withKey(SluiceLabels.POD_TEMPLATE_HASH).withOperator("In").withValues(stableHash).endMatchExpression()
        .endLabelSelector()
        .withTopologyKey(AntiAffinityTerm.TOPOLOGY_KEY)
        .build();
  }

  /** The stable hash of a term shaped exactly as Sluice injects it. */
  private static Optional<String> injectedHash(PodAffinityTerm term) {
    if (term == null || term.getLabelSelector() == null || !AntiAffinityTerm.TOPOLOGY_KEY.equals(term.getTopologyKey())) {
      return Optional.empty();
    }
    var selector = term.getLabelSelector();
    List<LabelSelectorRequirement> expressions = orEmpty(selector.getMatchExpressions());
    if ((selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()) || expressions.size() != 1) {
      return Optional.empty();
    }
    LabelSelectorRequirement only = expressions.get(0);
    if (!SluiceLabels.POD_TEMPLATE_HASH.equals(only.getKey()) || !"In".equals(only.getOperator())
        || only.getValues() == null || only.getValues().size() != 1) {
      return Optional.empty();
    }
    return Optional.of(only.getValues().get(0));
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
